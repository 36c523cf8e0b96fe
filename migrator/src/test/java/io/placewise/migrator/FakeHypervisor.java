package io.placewise.migrator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntToDoubleFunction;

/**
 * A scripted hypervisor: each {@link #jobStats} poll simulates one whole pre-copy pass of seed
 * 003's model (dirty memory capped at M, the dirty rate proportional to the CPU share, Eq. 8), and
 * the migration completes once the expected pause fits the max downtime. Failures can be injected
 * at a step, and a simulated crash makes every later call of this instance fail, as if the agent
 * process had died; the {@link HostState} (the domain and its libvirt job) outlives the instance.
 */
final class FakeHypervisor implements Hypervisor {

    enum Step { MEASURE, START, POLL, POSTCOPY, ABORT }

    /** What the host and libvirt keep, whatever happens to the agent. */
    static final class HostState extends SimulatedDomain {
        final String domain = "vm1";
        final List<String> calls = new ArrayList<>();

        double sharePct() {
            return share.pct();
        }
    }

    final HostState host;
    double bandwidthMbps = 1000;
    /** The dirty rate at 100 % CPU during pass i (i = 1 is the first full pass). */
    IntToDoubleFunction dirtyAtFullShare = i -> 0;
    long maxDowntimeMs = 300;
    private Step failAt;
    private int failAtPoll;
    private int crashAtPoll = -1;
    private boolean crashed;
    /** The destination's libvirt cannot be reached from this host (name resolution, firewall). */
    boolean destinationUnreachable;
    private int polls;
    private final Map<Integer, Runnable> onPoll = new HashMap<>();

    FakeHypervisor(HostState host) {
        this.host = host;
    }

    FakeHypervisor() {
        this(new HostState());
    }

    FakeHypervisor dirtying(double mbpsAtFullShare) {
        dirtyAtFullShare = i -> mbpsAtFullShare;
        return this;
    }

    FakeHypervisor failAt(Step step) {
        return failAt(step, 1);
    }

    FakeHypervisor failAt(Step step, int poll) {
        failAt = step;
        failAtPoll = poll;
        return this;
    }

    FakeHypervisor crashAtPoll(int poll) {
        crashAtPoll = poll;
        return this;
    }

    FakeHypervisor onPoll(int poll, Runnable action) {
        onPoll.put(poll, action);
        return this;
    }

    List<String> calls() {
        return host.calls;
    }

    private void check(Step step) {
        if (crashed) {
            throw new HypervisorException("agent process died (simulated crash)");
        }
        if (step != null && step == failAt && (step != Step.POLL || polls == failAtPoll)) {
            throw new HypervisorException("injected failure at " + step);
        }
    }

    @Override
    public boolean isRunningHere(String domain) {
        check(null);
        return host.here;
    }

    @Override
    public boolean isRunningAt(String connectUri, String domain) {
        check(null);
        if (destinationUnreachable) {
            throw new HypervisorException("cannot look up " + domain + " on " + connectUri + ": Unable to resolve address");
        }
        return host.atDestination;
    }

    /** libvirt shuts the source's definition off with reason "migrated" once the destination confirmed. */
    @Override
    public boolean migratedAway(String domain) {
        check(null);
        return !host.here && host.defined && host.atDestination;
    }

    @Override
    public boolean inPostCopy(String domain) {
        check(null);
        return host.jobActive && host.postCopy;
    }

    @Override
    public boolean undefineInactive(String domain) {
        check(null);
        if (host.here) {
            throw new HypervisorException("domain " + domain + " runs on this host: not undefined");
        }
        if (!host.defined) {
            return false;
        }
        host.defined = false;
        host.calls.add("undefine");
        return true;
    }

    @Override
    public long memoryMib(String domain) {
        check(null);
        return host.memoryMib;
    }

    @Override
    public double measureDirtyRateMbps(String domain, Duration window) {
        check(Step.MEASURE);
        host.calls.add("measureDirtyRate");
        return host.dirtyRateMbps(dirtyAtFullShare.applyAsDouble(1));
    }

    @Override
    public CompletableFuture<Void> startMigration(String domain, MigrationParams params) {
        check(Step.START);
        host.calls.add("startMigration xbzrle=" + params.xbzrle() + " postcopy=" + params.postCopyAllowed());
        return host.startJob(params);
    }

    @Override
    public JobStats jobStats(String domain) {
        polls++;
        if (polls == crashAtPoll) {
            crashed = true;
        }
        check(Step.POLL);
        Runnable action = onPoll.get(polls);
        if (action != null) {
            action.run();
        }
        if (!host.jobActive) {
            return JobStats.NONE;
        }
        double dirtyMbps = host.pass(dirtyAtFullShare.applyAsDouble((int) host.iteration), bandwidthMbps);
        JobStats stats = host.stats(dirtyMbps, bandwidthMbps);
        host.endIfPauseFits(maxDowntimeMs, () -> host.calls.add("completed"));
        return stats;
    }

    @Override
    public Optional<JobStats> completedJobStats(String domain, String destinationUri) {
        check(null);
        return Optional.of(host.completedStats());
    }

    @Override
    public void abortJob(String domain) {
        check(Step.ABORT);
        host.calls.add("abortJob");
        host.abort(() -> host.calls.add("cancelled"));
    }

    @Override
    public void startPostCopy(String domain) {
        check(Step.POSTCOPY);
        host.calls.add("startPostCopy");
        host.startPostCopy();
    }

    @Override
    public void setMaxDowntime(String domain, long ms) {
        check(null);
        host.calls.add("setMaxDowntime " + ms);
    }

    @Override
    public void setMaxSpeed(String domain, double mbps) {
        check(null);
        host.calls.add("setMaxSpeed " + mbps);
    }

    @Override
    public CpuShare cpuShare(String domain) {
        check(null);
        return host.share;
    }

    @Override
    public void setCpuShare(String domain, CpuShare share) {
        check(null);
        host.calls.add(String.format(java.util.Locale.ROOT, "setCpuShare %.1f", share.pct()));
        host.share = share;
    }

    @Override
    public void setCpuShareAt(String connectUri, String domain, CpuShare share) {
        check(null);
        host.calls.add("setCpuShareAt " + connectUri);
        host.destinationShare = share;
    }
}
