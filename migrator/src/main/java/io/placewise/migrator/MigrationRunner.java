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
 * {@link RestoreLog} before it is first changed and restored on every outcome. After a success the
 * inactive definition left on the source is removed ({@code undefine_source}).
 *
 * <p>{@link #adopt} takes over a job a previous agent process started and stopped watching (it
 * died): the job is watched again under the same rules (timeouts counted from the job's own start,
 * throttling continued from the restore log), or aborted first when the adoption says so (never in
 * post-copy). Without the migrate call's return to say how it ended, the end is read from where
 * the domain runs: on the destination only, completed; still here, failed (or aborted).
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
        return new Run(order, control, null).execute();
    }

    /**
     * Watches (or aborts) a job of {@code order}'s domain that this runner did not start, on the
     * calling thread, until it ends; the job may have ended already.
     */
    public MigrationResult adopt(MigrationOrder order, Adoption adoption, MigrationControl control) {
        return new Run(order, control, adoption).execute();
    }

    /** The mutable state of one migration. */
    private final class Run {
        private final MigrationOrder order;
        private final MigrationControl control;
        private final Adoption adoption;
        private final String domain;
        private final StringBuilder reason = new StringBuilder();
        private long startMs = time.nowMillis();

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
        private int unresolvedEnds;

        Run(MigrationOrder order, MigrationControl control, Adoption adoption) {
            this.order = order;
            this.control = control;
            this.adoption = adoption;
            this.domain = order.domain();
        }

        MigrationResult execute() {
            control.state(MigrationState.RUNNING);
            guarded(adoption != null ? this::takeOver : this::startAndMonitor);
            return finish();
        }

        private interface Body {
            void run() throws InterruptedException;
        }

        /** Runs {@code body}; whatever it throws ends the migration, and the share is restored in any case. */
        private void guarded(Body body) {
            try {
                body.run();
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
        }

        private void startAndMonitor() throws InterruptedException {
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
        }

        /** Adopts the job: what the predecessor knew, the job's own clock, post-copy, abort if asked. */
        private void takeOver() throws InterruptedException {
            if (adoption.previousReason() != null && !adoption.previousReason().isBlank()) {
                note(adoption.previousReason());
            }
            strategy = adoption.strategyUsed();
            bandwidthMbps = order.bandwidthMbps() != null ? order.bandwidthMbps() : config.defaultBandwidthMbps();
            try {
                memoryMib = hypervisor.memoryMib(domain);
            } catch (RuntimeException e) {
                memoryMib = 0; // gone from this host: the budget no longer matters
            }
            restoreEntry = adoption.restoreEntry();
            if (restoreEntry != null) {
                original = restoreEntry.original();
                sharePct = adoption.lastSharePct() != null ? adoption.lastSharePct() : original.pct();
                plan = config.throttle().withCeiling(original.pct());
            }
            started = true;
            boolean inPostCopy = inPostCopyQuietly();
            JobStats now = jobStatsQuietly();
            if (now.active()) {
                startMs = time.nowMillis() - Math.max(0, now.elapsedMs());
                if (inPostCopy) {
                    postCopy = true;
                    control.postCopyStarted();
                }
                note(String.format(Locale.ROOT, "adopted at agent start: the job was still running (%.1f s in%s)",
                        now.elapsedMs() / 1000.0, postCopy ? ", in post-copy" : ""));
                if (adoption.abort()) {
                    if (postCopy) {
                        note("not aborted: in post-copy the destination holds the newest memory");
                    } else {
                        abort("the agent restarted and [migrator] orphaned_jobs = abort");
                    }
                }
            } else {
                note("at agent start the job had already ended");
            }
            monitor(new CompletableFuture<>());
        }

        private MigrationResult finish() {
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
            note("auto: " + advice.strategy().wireName() + " because " + advice.reason() + " (dirty rate measured "
                    + "by the hypervisor over " + config.dirtyRateWindow().toSeconds() + " s just before migrating)");
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
                        resolveAdoptedEnd(done);
                        continue;
                    }
                    throw e;
                }
                if (!stats.active()) {
                    resolveAdoptedEnd(done);
                    continue;
                }
                lastLive = stats;
                if (!downtimeSet && order.maxDowntimeMs() != null && !postCopy) {
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
            if (strategy == MigrationStrategy.THROTTLED && original != null && stats.iteration() >= 2 && !postCopy) {
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

        /**
         * An adopted job has no migrate call to say how it ended: where the domain runs does. This
         * host's definition shut off by the completed migration says so without asking the
         * destination (which this host may fail to reach: the lab's agents could not resolve it);
         * otherwise the destination is asked. Both here and there is the instant of the
         * switch-over: asked again at the next poll.
         */
        private void resolveAdoptedEnd(CompletableFuture<Void> done) {
            if (adoption == null || done.isDone()) {
                return;
            }
            String dest = order.destinationUri();
            try {
                boolean here = hypervisor.isRunningHere(domain);
                if (!here && hypervisor.migratedAway(domain)) {
                    done.complete(null);
                    return;
                }
                boolean there = hypervisor.isRunningAt(dest, domain);
                if (there && !here) {
                    done.complete(null);
                } else if (here && !there) {
                    done.completeExceptionally(new HypervisorException(
                            "the migration job ended without moving the domain: it runs on this host"));
                } else if (!here && !there) {
                    done.completeExceptionally(new HypervisorException(
                            "the migration job ended and the domain runs neither on this host nor on " + dest));
                }
            } catch (RuntimeException e) {
                // Retried at the next polls; a destination that never answers ends it as unknown.
                if (++unresolvedEnds >= 10) {
                    done.completeExceptionally(new HypervisorException("the migration job ended; the domain is "
                            + "not running on this host and " + dest + " could not be asked: " + e.getMessage(), e));
                }
            }
        }

        private void abort(String why) {
            abortReason = why;
            try {
                hypervisor.abortJob(domain);
            } catch (RuntimeException e) {
                if (!jobStatsQuietly().active()) {
                    note("abort (" + why + ") came too late: the job had ended");
                    return; // how it ended is read as for any other end
                }
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
            if (config.undefineSource()) {
                // After the statistics: after post-copy only the source's definition keeps them (lab).
                try {
                    if (hypervisor.undefineInactive(domain)) {
                        note("the source's inactive definition was undefined");
                    }
                } catch (RuntimeException e) {
                    note("the source's inactive definition could not be undefined: " + e.getMessage());
                }
            }
        }

        private JobStats jobStatsQuietly() {
            try {
                return hypervisor.jobStats(domain);
            } catch (RuntimeException e) {
                return JobStats.NONE; // no such domain here, or not running: no job either
            }
        }

        private boolean inPostCopyQuietly() {
            try {
                return hypervisor.inPostCopy(domain);
            } catch (RuntimeException e) {
                return false; // no such domain here: no job either
            }
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
                restoreEntry = null;
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
