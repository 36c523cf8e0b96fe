package io.placewise.service.api;

/**
 * The bounds of request fields, for their validation annotations, matched to what the schema
 * stores (a name longer than its VARCHAR would fail in the database as a 503; it is a 422 naming the
 * field instead) and to what the arithmetic on them can hold (sums of vCPUs stay within an int).
 * A new DTO field takes its bound from here: {@code @Size(max = Limits.NAME) String host},
 * {@code @DecimalMax(Limits.MBPS) Double mbps}; numbers are finite by the JSON mapper already.
 */
public final class Limits {
    /** Names and ids: VARCHAR(255) columns (hosts, VMs, groups, domains, traffic ends). */
    public static final int NAME = 255;
    /** URIs: VARCHAR(1024) (the agent's destination_uri). */
    public static final int URI = 1024;
    /** Free text a client sends that is not stored (extra spec values, hints). */
    public static final int TEXT = 4096;
    /** Nonsharable resources of one VM: stored as a JSON array in a VARCHAR(20000) column. */
    public static final int NONSHARABLE = 64;
    /** vCPUs of one VM: 200,000 VMs on a host still sum within an int. */
    public static final long VM_VCPUS = 4096;
    /** vCPUs of one host. */
    public static final long HOST_VCPUS = 1_000_000;
    /** Memory and disk sizes in MiB / GiB: 2^40 (an exbibyte of memory). */
    public static final long SIZE = 1L << 40;
    /** Network rates in Mbit/s: 10 Tbit/s. */
    public static final String MBPS = "10000000";
    /** Other rates and counts per second (swap writes). */
    public static final String PER_S = "1000000000";

    private Limits() {
    }
}
