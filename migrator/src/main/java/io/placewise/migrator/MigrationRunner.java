package io.placewise.migrator;

import io.placewise.precopy.MigrationStrategy;
import io.placewise.precopy.StrategyAdvice;
import io.placewise.precopy.ThrottlePlan;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one workload-adaptive live migration (seed 000 §3.2, seed 003 §4) and watches it round by
 * round:
 * <ul>
 *   <li>{@code precopy}: plain iterative pre-copy;</li>
 *   <li>{@code compressed}: pre-copy with XBZRLE delta compression of re-sent pages;</li>
 *   <li>{@code postcopy}: switch to post-copy once the first full pass is done (iteration ≥ 2);</li>
 *   <li>{@code throttled}: after every pass set the CPU share for the next one by Eq. 9,
 *   e_{i+1} = C·B·e_i/p_i, clamped to [floor, original share];</li>
 *   <li>{@code auto}: measure the dirty rate, ask the {@code StrategyAdvisor}, record why.</li>
 * </ul>
 * A migration whose remaining memory reaches no new low for the no-progress timeout, or that runs
 * longer than {@code completion_timeout_s_per_gib} × GiB, is aborted (the VM keeps running here) or,
 * when configured, escalated to post-copy. The original CPU share is written to the
 * {@link RestoreLog} before it is first changed and restored on every outcome.
 */
public final class MigrationRunner {
    private static final System.Logger LOG = System.getLogger(MigrationRunner.class.getName());

    private final Hypervisor hypervisor;
    private final RestoreLog restoreLog;
    private final CpuShareRestorer restorer;
    private final MigratorConfig config;
    private final TimeSource time;

    public MigrationRunner(Hypervisor hypervisor, RestoreLog restoreLog, MigratorConfig config, TimeSource time) {
        this.hypervisor = hypervisor;
        this.restoreLog = restoreLog;
        this.restorer = new CpuShareRestorer(hypervisor, restoreLog);
        this.config = config;
        this.time = time;
    }

    public MigrationResult run(MigrationOrder order) {
        return run(order, new MigrationControl());
    }

    /** Runs the migration on the calling thread; {@code control} sees its progress and may abort it. */
    public MigrationResult run(MigrationOrder order, MigrationControl control) {
        return new Run(order, control).execute();
    }

    /** The mutable state of one migration. */
    private final class Run {
        private final MigrationOrder order;
        private final MigrationControl control;
        private final String domain;
        private final StringBuilder reason = new StringBuilder();
        private final long startMs = time.nowMillis();

        private MigrationState state = MigrationState.FAILED;
        private MigrationStrategy strategy;
        private String error;
        private double memoryMib;
        private double bandwidthMbps;
        private boolean started;
        private boolean postCopy;
        private boolean escalated;
        private boolean aborting;
        private boolean abortFailed;
        private String abortReason;
        private long abortAtMs;
        private RestoreEntry restoreEntry;
        private CpuShare original;
        private ThrottlePlan plan;
        private double sharePct = 100;
        private JobStats lastLive = JobStats.NONE;
        private long downtimeMs;
        private long totalMs = -1;
        private double dataMib;

        Run(MigrationOrder order, MigrationControl control) {
            this.order = order;
            this.control = control;
            this.domain = order.domain();
        }

        MigrationResult execute() {
            control.state(MigrationState.RUNNING);
            try {
                if (!hypervisor.isRunningHere(domain)) {
                    throw new HypervisorException("domain " + domain + " is not running on this host");
                }
                memoryMib = hypervisor.memoryMib(domain);
                bandwidthMbps = order.bandwidthMbps() != null ? order.bandwidthMbps() : config.defaultBandwidthMbps();
                strategy = resolveStrategy();
                control.strategyChosen(strategy, reason.toString());
                if (strategy == MigrationStrategy.THROTTLED) {
                    original = hypervisor.cpuShare(domain);
                    sharePct = original.pct();
                    plan = config.throttle().withCeiling(sharePct);
                    // Persist before the first change, so a crash at any later point can be undone.
                    restoreEntry = new RestoreEntry(order.id(), domain, order.destinationUri(), original,
                            Instant.ofEpochMilli(startMs));
                    restoreLog.record(restoreEntry);
                }
                MigrationParams params = new MigrationParams(order.destinationUri(),
                        strategy == MigrationStrategy.COMPRESSED,
                        strategy == MigrationStrategy.POSTCOPY || config.escalateToPostCopy(),
                        order.bandwidthMbps(), config.xbzrleCacheMib());
                CompletableFuture<Void> done = hypervisor.startMigration(domain, params);
                started = true;
                monitor(done);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                state = MigrationState.ABORTED;
                error = "agent interrupted";
                abortQuietly();
            } catch (RuntimeException e) {
                state = MigrationState.FAILED;
                error = e.getMessage() == null ? e.toString() : e.getMessage();
                abortQuietly();
            } finally {
                restoreShare();
            }
            if (totalMs < 0) {
                totalMs = time.nowMillis() - startMs;
            }
            if (dataMib == 0) {
                dataMib = lastLive.processedMib();
            }
            control.state(state);
            LOG.log(System.Logger.Level.INFO, "migration {0} of {1}: {2} ({3})", order.id(), domain,
                    state.wireName(), reason);
            return new MigrationResult(order.id(), state, strategy, escalated, control.rounds(), downtimeMs, totalMs,
                    dataMib, error, reason.toString());
        }

        private MigrationStrategy resolveStrategy() {
            if (order.strategy() != MigrationStrategy.AUTO) {
                note("requested " + order.strategy().wireName());
                return order.strategy();
            }
            double dirty;
            try {
                dirty = hypervisor.measureDirtyRateMbps(domain, config.dirtyRateWindow());
            } catch (RuntimeException e) {
                note("auto: dirty rate could not be measured (" + e.getMessage()
                        + "); compressed pre-copy is safe for any workload");
                return MigrationStrategy.COMPRESSED;
            }
            StrategyAdvice advice = config.advisor().advise(dirty, bandwidthMbps, memoryMib,
                    order.guestToleratesSlowing());
            note("auto: " + advice.strategy().wireName() + " because " + advice.reason());
            return advice.strategy();
        }

        private void monitor(CompletableFuture<Void> done) throws InterruptedException {
            long bestRemaining = Long.MAX_VALUE;
            boolean pastFirstPass = false;
            long lastProgressMs = time.nowMillis();
            long lastIteration = 0;
            boolean downtimeSet = false;
            long budgetMs = (long) (config.completionTimeoutSPerGib() * Math.max(memoryMib, 1) / 1024.0 * 1000);
            long noProgressMs = config.noProgressTimeout().toMillis();
            while (true) {
                if (done.isDone()) {
                    conclude(done);
                    return;
                }
                if (control.abortRequested() && !aborting && !postCopy) {
                    abort("aborted by operator request");
                }
                time.sleep(config.pollInterval());
                if (done.isDone()) {
                    continue;
                }
                long now = time.nowMillis();
                if (aborting && now - abortAtMs > Math.max(noProgressMs, 10 * config.pollInterval().toMillis())) {
                    throw new HypervisorException("job did not end after abort (" + abortReason + ")");
                }
                JobStats stats;
                try {
                    stats = hypervisor.jobStats(domain);
                } catch (RuntimeException e) {
                    // A poll that races the end of the job ("domain is not running" once it has
                    // left, met in the lab) is no failure: the migrate call says how it ended.
                    if (done.isDone() || !runningHereQuietly()) {
                        continue;
                    }
                    throw e;
                }
                if (!stats.active()) {
                    continue;
                }
                lastLive = stats;
                if (!downtimeSet && order.maxDowntimeMs() != null) {
                    // libvirt accepts this only while the migration job exists.
                    hypervisor.setMaxDowntime(domain, order.maxDowntimeMs());
                    downtimeSet = true;
                }
                boolean newPass = stats.iteration() > lastIteration;
                if (newPass) {
                    lastIteration = stats.iteration();
                    onNewIteration(stats);
                }
                // Progress is judged on what is left when a pass starts (the dirty set of the last
                // one): mid-pass the remaining memory falls towards 0 and jumps back at each dirty
                // sync, so a poll that happens to land just before a sync would set a low no later
                // pass can beat (lab: aborted at 6.9 MiB while passes started at 55-60 MiB). During
                // the first pass any decrease is progress. Before the first page is sent QEMU
                // reports 0 remaining: no low to beat.
                if (stats.processedBytes() > 0) {
                    if (stats.iteration() <= 1) {
                        if (stats.remainingBytes() < bestRemaining) {
                            bestRemaining = stats.remainingBytes();
                            lastProgressMs = now;
                        }
                    } else if (newPass) {
                        if (!pastFirstPass || stats.remainingBytes() < bestRemaining) {
                            bestRemaining = stats.remainingBytes();
                            lastProgressMs = now;
                        }
                        pastFirstPass = true;
                    }
                }
                if (aborting || postCopy) {
                    continue; // post-copy cannot be aborted; it ends when every page has been pulled
                }
                String overdue = null;
                if (now - lastProgressMs > noProgressMs) {
                    overdue = String.format(Locale.ROOT, "no progress for %.1f s (remaining never fell below %.1f MiB)",
                            (now - lastProgressMs) / 1000.0, bestRemaining / 1048576.0);
                } else if (now - startMs > budgetMs) {
                    overdue = String.format(Locale.ROOT, "running %.1f s, longer than %.0f s/GiB × %.2f GiB",
                            (now - startMs) / 1000.0, config.completionTimeoutSPerGib(), memoryMib / 1024.0);
                }
                if (overdue != null) {
                    if (config.escalateToPostCopy()) {
                        switchToPostCopy(overdue + ": escalated to post-copy");
                        escalated = true;
                        lastProgressMs = now;
                    } else {
                        abort(overdue);
                    }
                }
            }
        }

        private void onNewIteration(JobStats stats) {
            double dirty = stats.dirtyRateMbps();
            double transfer = stats.transferRateMbps();
            // Iteration k ≥ 2 means pass k−1 has ended and its dirty rate p_{k−1} is known: Eq. 9.
            if (strategy == MigrationStrategy.THROTTLED && stats.iteration() >= 2 && !postCopy) {
                double b = transfer > 0 ? transfer : bandwidthMbps;
                // Eq. 9 would raise the share again after a pass that dirtied less than C·B; in the lab
                // that undid a converging migration (14 MiB left at 5.7 %, 32 % three passes later and
                // 55 MiB left again). During a migration the share only goes down.
                double next = Math.min(sharePct, plan.nextSharePct(sharePct, dirty, b));
                if (Math.abs(next - sharePct) >= 0.5) {
                    hypervisor.setCpuShare(domain, original.withPct(next));
                    sharePct = next;
                }
            }
            control.round(new RoundReport(stats.iteration(), dirty, transfer, stats.remainingMib(), sharePct));
            if (strategy == MigrationStrategy.POSTCOPY && stats.iteration() >= 2 && !postCopy) {
                switchToPostCopy("first full pass done (iteration " + stats.iteration() + "): switched to post-copy");
            }
        }

        private void switchToPostCopy(String why) {
            try {
                hypervisor.startPostCopy(domain);
            } catch (RuntimeException e) {
                throw new HypervisorException("switch to post-copy failed (" + why + "): " + e.getMessage(), e);
            }
            postCopy = true;
            control.postCopyStarted();
            note(why);
        }

        private void abort(String why) {
            abortReason = why;
            try {
                hypervisor.abortJob(domain);
            } catch (RuntimeException e) {
                abortFailed = true;
                throw new HypervisorException("abort failed (" + why + "): " + e.getMessage(), e);
            }
            aborting = true;
            abortAtMs = time.nowMillis();
            note("aborted: " + why);
        }

        private void conclude(CompletableFuture<Void> done) {
            try {
                done.join();
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (aborting) {
                    state = MigrationState.ABORTED;
                    error = abortReason;
                } else {
                    state = MigrationState.FAILED;
                    error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                }
                return;
            }
            state = MigrationState.COMPLETED;
            Optional<JobStats> completed;
            try {
                completed = hypervisor.completedJobStats(domain, order.destinationUri());
            } catch (RuntimeException e) {
                completed = Optional.empty(); // a cancelled or vanished job keeps no stats; use the last live one
            }
            if (completed.isEmpty()) {
                note("the hypervisor kept no completed statistics: downtime is the last expected value, not a measurement");
            }
            JobStats last = completed.orElse(lastLive);
            downtimeMs = last.downtimeMs();
            dataMib = last.processedMib();
            totalMs = completed.filter(c -> c.elapsedMs() > 0).map(JobStats::elapsedMs)
                    .orElse(time.nowMillis() - startMs);
        }

        private boolean runningHereQuietly() {
            try {
                return hypervisor.isRunningHere(domain);
            } catch (RuntimeException e) {
                return true; // cannot tell: treat the poll failure as real
            }
        }

        /** After a failure before post-copy: stop the job so the VM keeps running here. */
        private void abortQuietly() {
            if (!started || postCopy || aborting || abortFailed) {
                return;
            }
            try {
                hypervisor.abortJob(domain);
            } catch (RuntimeException e) {
                note("abort after failure also failed: " + e.getMessage());
            }
        }

        private void restoreShare() {
            if (restoreEntry == null) {
                return;
            }
            try {
                note("CPU share " + String.format(Locale.ROOT, "%.0f %%", original.pct()) + " "
                        + restorer.restore(restoreEntry));
            } catch (RuntimeException e) {
                String msg = "CPU share restore failed: " + e.getMessage()
                        + " (kept in the restore log, retried at agent start)";
                error = error == null ? msg : error + "; " + msg;
                note(msg);
            }
        }

        private void note(String text) {
            if (reason.length() > 0) {
                reason.append("; ");
            }
            reason.append(text);
        }
    }
}
