package io.placewise.migrator;

import io.placewise.precopy.MigrationStrategy;

/**
 * What an agent that did not start a migration job knows of it when it takes the job over at
 * start-up (its predecessor died while watching it): the strategy that was running (null when the
 * predecessor had not chosen one yet), the CPU share to put back (null when none was changed), the
 * share of the last round it saw, the reason it had recorded, and whether to abort the job rather
 * than watch it to its end ({@code [migrator] orphaned_jobs}; a job in post-copy is watched anyway).
 */
public record Adoption(MigrationStrategy strategyUsed, RestoreEntry restoreEntry, Double lastSharePct,
                       String previousReason, boolean abort) {
}
