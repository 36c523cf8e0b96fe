package io.placewise.migrator.agent.config;

import java.util.Locale;

/**
 * {@code [migrator] orphaned_jobs}: what a starting agent does with a migration job its previous
 * process started and did not see to the end (it was killed or crashed).
 * <ul>
 *   <li>{@code adopt} (default): watch it again under the same rules, from where it is, and report
 *   how it really ended. The right choice when the bridge may still be waiting for the outcome;
 *   the work already sent is not wasted.</li>
 *   <li>{@code abort}: stop it, so the VM stays on this host with its CPU share restored. For
 *   operators who want nothing to move that nobody was watching when it started moving.</li>
 * </ul>
 * Either way a job in post-copy is adopted (aborting it would lose the VM), and a job that ended
 * while no agent ran is reported as what happened: completed when the domain runs on the
 * destination, failed when it still runs here.
 */
public enum OrphanedJobs {
    ADOPT, ABORT;

    public static OrphanedJobs fromConfig(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
