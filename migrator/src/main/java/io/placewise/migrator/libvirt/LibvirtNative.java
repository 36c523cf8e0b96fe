package io.placewise.migrator.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libvirt C calls that libvirt-java 0.5.4 lacks (STACK.md), bound with JNA over
 * {@code libvirt.so.0}. Pointers are the raw {@code virConnectPtr} / {@code virDomainPtr} of a
 * connection this binding opens itself (libvirt-java keeps its own pointers package-private).
 * Every call returns -1 / null on failure; {@link #virGetLastErrorMessage} then says why.
 */
public interface LibvirtNative extends Library {
    /** {@code VIR_DOMAIN_STATS_DIRTYRATE}: the dirty-rate group of virDomainListGetStats. */
    int VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9;
    /** The groups the profiler reads: state, cpu-total, balloon, vcpu, interface, block, dirtyrate. */
    int VIR_DOMAIN_STATS_PROFILER = 1 | 2 | 4 | 8 | 16 | 32 | VIR_DOMAIN_STATS_DIRTYRATE;
    /** {@code VIR_DOMAIN_DIRTYRATE_MEASURING}: a measurement is under way. */
    int VIR_DOMAIN_DIRTYRATE_MEASURING = 1;
    /** {@code VIR_DOMAIN_DIRTYRATE_MEASURED}: value of {@code dirtyrate.calc_status} when done. */
    int VIR_DOMAIN_DIRTYRATE_MEASURED = 2;

    /** {@code VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT}: skip the stats that would wait for the domain's job. */
    int VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29;
    /** {@code VIR_DOMAIN_PAUSED} of virDomainState. */
    int VIR_DOMAIN_PAUSED = 3;
    /** {@code VIR_DOMAIN_SHUTOFF} of virDomainState, and its reason {@code VIR_DOMAIN_SHUTOFF_MIGRATED}. */
    int VIR_DOMAIN_SHUTOFF = 5;
    int VIR_DOMAIN_SHUTOFF_MIGRATED = 5;
    /** {@code VIR_DOMAIN_RUNNING} of virDomainState. */
    int VIR_DOMAIN_RUNNING = 1;
    /** Paused reason {@code VIR_DOMAIN_PAUSED_MIGRATION}: an incoming migration (or the source's switch-over). */
    int VIR_DOMAIN_PAUSED_MIGRATION = 2;
    /** Paused reason {@code VIR_DOMAIN_PAUSED_STARTING_UP}: being started (also an arriving migration at first). */
    int VIR_DOMAIN_PAUSED_STARTING_UP = 11;
    /** Paused reason {@code VIR_DOMAIN_PAUSED_POSTCOPY}: the source of a migration in post-copy. */
    int VIR_DOMAIN_PAUSED_POSTCOPY = 12;
    /** Running reason {@code VIR_DOMAIN_RUNNING_POSTCOPY}: the destination of a migration in post-copy. */
    int VIR_DOMAIN_RUNNING_POSTCOPY = 10;
    /** {@code VIR_DOMAIN_AFFECT_LIVE} / {@code _CONFIG} of the *Flags calls. */
    int VIR_DOMAIN_AFFECT_LIVE = 1;
    int VIR_DOMAIN_AFFECT_CONFIG = 2;

    /** Loads libvirt by its link name, falling back to the runtime soname (no -dev package needed). */
    static LibvirtNative load() {
        try {
            return Native.load("virt", LibvirtNative.class);
        } catch (UnsatisfiedLinkError e) {
            return Native.load("libvirt.so.0", LibvirtNative.class);
        }
    }

    Pointer virConnectOpen(String name);

    int virConnectClose(Pointer conn);

    Pointer virDomainLookupByName(Pointer conn, String name);

    int virDomainFree(Pointer domain);

    /** Switches a migration started with VIR_MIGRATE_POSTCOPY to post-copy. */
    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    /** Bandwidth in MiB/s. */
    int virDomainMigrateSetMaxSpeed(Pointer domain, NativeLong bandwidth, int flags);

    /** Starts measuring the dirty rate over {@code seconds}; read it with virDomainListGetStats. */
    int virDomainStartDirtyRateCalc(Pointer domain, int seconds, int flags);

    /**
     * Stats of a NULL-terminated array of domains; {@code retStats} receives a NULL-terminated
     * array of {@code virDomainStatsRecordPtr} ({dom, params, nparams}), freed with
     * {@link #virDomainStatsRecordListFree}.
     */
    int virDomainListGetStats(Pointer[] domains, int stats, PointerByReference retStats, int flags);

    void virDomainStatsRecordListFree(Pointer stats);

    /** The domain's state and its reason (virDomainState, virDomain*Reason). */
    int virDomainGetState(Pointer domain, IntByReference state, IntByReference reason, int flags);

    /** Sets the balloon target (KiB), live and/or in the persistent definition. */
    int virDomainSetMemoryFlags(Pointer domain, NativeLong memoryKib, int flags);

    String virGetLastErrorMessage();

    /** The virErrorNumber of the thread's last error. */
    int virGetLastErrorCode();
}
