package io.placewise.migrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts back CPU shares the throttled strategy changed (seed 003 §4.1, Eq. 9), wherever the domain
 * now runs: here after a failure or abort, on the destination after a success (libvirt carries the
 * domain's scheduler settings in its XML, so the destination is where a lingering cap would live).
 * An entry leaves the {@link RestoreLog} only after its restore succeeded.
 */
public final class CpuShareRestorer {
    private static final System.Logger LOG = System.getLogger(CpuShareRestorer.class.getName());

    private final Hypervisor hypervisor;
    private final RestoreLog log;

    public CpuShareRestorer(Hypervisor hypervisor, RestoreLog log) {
        this.hypervisor = hypervisor;
        this.log = log;
    }

    /** What start-up recovery did with one entry. */
    public record Recovery(RestoreEntry entry, boolean restored, String detail) {
    }

    /** Restores one entry and forgets it; throws (and keeps it) when the hypervisor fails. */
    public String restore(RestoreEntry entry) {
        String where;
        if (hypervisor.isRunningHere(entry.domain())) {
            hypervisor.setCpuShare(entry.domain(), entry.original());
            where = "restored on this host";
        } else if (entry.destinationUri() != null) {
            hypervisor.setCpuShareAt(entry.destinationUri(), entry.domain(), entry.original());
            where = "restored on " + entry.destinationUri();
        } else {
            where = "domain gone, nothing to restore";
        }
        log.remove(entry.migrationId());
        LOG.log(System.Logger.Level.INFO, "CPU share of {0} ({1}): {2}", entry.domain(), entry.migrationId(), where);
        return where;
    }

    /**
     * Agent start-up: every entry left by a crash is restored. A migration job still running on the
     * domain has lost its monitor (nobody enforces its timeouts or throttling any more), so it is
     * aborted first; in post-copy the hypervisor refuses that, and the share is restored anyway.
     * Entries whose restore fails stay for the next start.
     */
    public List<Recovery> recoverOnStartup() {
        return recoverOnStartup(Set.of(), Set.of());
    }

    /**
     * As {@link #recoverOnStartup()}, but leaves alone the entries of migrations being adopted
     * (their runner restores them when the job ends) and the jobs of those migrations' domains.
     */
    public List<Recovery> recoverOnStartup(Set<String> adoptedMigrations, Set<String> adoptedDomains) {
        List<Recovery> done = new ArrayList<>();
        for (RestoreEntry entry : log.pending()) {
            if (adoptedMigrations.contains(entry.migrationId())) {
                continue;
            }
            StringBuilder detail = new StringBuilder();
            try {
                if (!adoptedDomains.contains(entry.domain()) && hypervisor.isRunningHere(entry.domain())
                        && hypervisor.jobStats(entry.domain()).active()) {
                    try {
                        hypervisor.abortJob(entry.domain());
                        detail.append("aborted orphaned migration job; ");
                    } catch (RuntimeException e) {
                        detail.append("could not abort orphaned job (").append(e.getMessage()).append("); ");
                    }
                }
                detail.append(restore(entry));
                done.add(new Recovery(entry, true, detail.toString()));
            } catch (RuntimeException e) {
                detail.append("restore failed: ").append(e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "CPU share of {0} not restored: {1}", entry.domain(), detail);
                done.add(new Recovery(entry, false, detail.toString()));
            }
        }
        return done;
    }
}
