package io.placewise.migrator;

/**
 * A VM's CPU cap as QEMU/KVM takes it from libvirt's scheduler parameters: {@code vcpu_quota} µs of
 * CPU time per {@code vcpu_period} µs, per vCPU (STACK.md). A quota ≤ 0 (or above the period)
 * means uncapped, i.e. 100 % of one physical CPU per vCPU, the e_i of seed 003 Eq. 9.
 * The raw values are kept so that a restore writes back exactly what was there.
 */
public record CpuShare(long periodUs, long quotaUs) {
    /** Linux CFS default period, used when libvirt reports none. */
    public static final long DEFAULT_PERIOD_US = 100_000;
    /** libvirt rejects a vcpu_quota below 1000 µs. */
    public static final long MIN_QUOTA_US = 1_000;

    public static final CpuShare UNLIMITED = new CpuShare(DEFAULT_PERIOD_US, -1);

    /** The share in percent of one physical CPU per vCPU, 100 when uncapped. */
    public double pct() {
        if (quotaUs <= 0 || periodUs <= 0 || quotaUs >= periodUs) {
            return 100;
        }
        return 100.0 * quotaUs / periodUs;
    }

    /** This share's period with the quota for {@code pct} %; 100 % keeps the period and caps at it. */
    public CpuShare withPct(double pct) {
        long period = periodUs > 0 ? periodUs : DEFAULT_PERIOD_US;
        long quota = Math.max(MIN_QUOTA_US, Math.round(period * Math.min(100, pct) / 100.0));
        return new CpuShare(period, quota);
    }
}
