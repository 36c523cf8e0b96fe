package io.placewise.migrator;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the workload-adaptive migrator (seed 000 §3.2, seed 003 §4) needs from the local
 * hypervisor, and nothing more, so that the strategy logic can be tested against a scripted fake
 * and run against libvirt ({@code LibvirtHypervisor}). Domains are named as libvirt names them.
 * Every method may throw {@link HypervisorException}.
 */
public interface Hypervisor {

    /** Whether the domain exists on this host and is running (false after it migrated away). */
    boolean isRunningHere(String domain);

    /**
     * Whether the domain runs on the host at {@code connectUri}: where a migration nobody watched
     * to its end may have put it (start-up recovery).
     */
    boolean isRunningAt(String connectUri, String domain);

    /**
     * Whether this host's definition of the domain was shut off by an outgoing migration that
     * completed (libvirt: shut off, reason migrated, set only once the destination confirmed): this
     * host's own word that the domain runs on the destination, needing no connection to it.
     */
    boolean migratedAway(String domain);

    /**
     * Whether the domain's outgoing migration has switched to post-copy (libvirt: paused, reason
     * post-copy): the destination then holds the newest memory and the job must not be aborted.
     */
    boolean inPostCopy(String domain);

    /**
     * Removes the domain's inactive definition from this host, as left by a migration that kept it
     * (its completed statistics live there, so read them first); false when there was none.
     * Refused while the domain runs here.
     */
    boolean undefineInactive(String domain);

    /** The domain's memory size in MiB. */
    long memoryMib(String domain);

    /**
     * Measures the running domain's dirty rate over {@code window} before any migration starts
     * (libvirt's {@code virDomainStartDirtyRateCalc}); blocks for about the window. Mbit/s.
     */
    double measureDirtyRateMbps(String domain, Duration window);

    /**
     * Starts an outgoing live migration and returns at once; the future completes when the
     * hypervisor's (blocking) migrate call returns: normally on success, exceptionally on failure
     * or abort.
     */
    CompletableFuture<Void> startMigration(String domain, MigrationParams params);

    /** The running job's statistics, or {@link JobStats#NONE} when the domain has no job. */
    JobStats jobStats(String domain);

    /**
     * The statistics of the migration that just completed (actual downtime and elapsed time), from
     * the source or, once the source has let go of the domain, from {@code destinationUri}.
     */
    Optional<JobStats> completedJobStats(String domain, String destinationUri);

    /** Aborts the domain's running job; the domain keeps running here. Refused in post-copy. */
    void abortJob(String domain);

    /** Switches a migration started with {@link MigrationParams#postCopyAllowed()} to post-copy. */
    void startPostCopy(String domain);

    /** Sets the largest pause the hypervisor may take to finish (allowed during migration). */
    void setMaxDowntime(String domain, long ms);

    /** Caps the running migration's bandwidth (allowed during migration). Mbit/s. */
    void setMaxSpeed(String domain, double mbps);

    /** The domain's current CPU share on this host. */
    CpuShare cpuShare(String domain);

    /**
     * Sets the domain's CPU share on this host; must also work while an outgoing migration holds
     * the domain's job (libvirt refuses scheduler changes then: LAB.md; write the vCPU cgroups).
     */
    void setCpuShare(String domain, CpuShare share);

    /** Sets the domain's CPU share on another host, by its connection URI (restore after success). */
    void setCpuShareAt(String connectUri, String domain, CpuShare share);
}
