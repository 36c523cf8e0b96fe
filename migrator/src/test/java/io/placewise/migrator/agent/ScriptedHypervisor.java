package io.placewise.migrator.agent;

import io.placewise.migrator.CpuShare;
import io.placewise.migrator.DomainMemory;
import io.placewise.migrator.DomainProbe;
import io.placewise.migrator.DomainUsage;
import io.placewise.migrator.Hypervisor;
import io.placewise.migrator.HypervisorException;
import io.placewise.migrator.HypervisorRefusedException;
import io.placewise.migrator.MemoryBalloon;
import io.placewise.migrator.NoSuchDomainException;
import io.placewise.migrator.SimulatedDomain;
import io.placewise.migrator.JobStats;
import io.placewise.migrator.MigrationParams;
import io.placewise.precopy.DataUnits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted host for the agent's tests (test code only): domains with a memory size, a dirty rate
 * at 100 % CPU and a CPU share; each job-stats poll simulates one whole pre-copy pass (seed 003:
 * dirty data proportional to the pass time and the CPU share, Eq. 8), and the job completes when
 * the expected pause fits the max downtime. Post-copy can be held open to test that it cannot be
 * aborted. Thread-safe: the REST threads and the runner's thread call it at once.
 */
final class ScriptedHypervisor implements Hypervisor, DomainProbe, MemoryBalloon {
    static final CpuShare ORIGINAL = new CpuShare(100_000, 80_000);

    static final class Dom extends SimulatedDomain {
        final String name;
        double dirtyAtFullShareMbps;
        /** The destination side of someone else's migration: paused here while its pages arrive. */
        boolean migratingIn;
        long currentMib = 1024;
        boolean balloonDevice = true;
        long cpuTimeNs;
        long maxDowntimeMs = 300;
        boolean midPassShown;
        final List<CpuShare> sharesSet = new ArrayList<>();

        Dom(String name) {
            this.name = name;
            this.share = ORIGINAL;
        }
    }

    final Map<String, Dom> domains = new ConcurrentHashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    double bandwidthMbps = 1000;
    volatile boolean holdPostCopy;
    /**
     * Every other poll lands inside a pass, where QEMU reports what is left of it until the next
     * dirty sync: halfway through later passes, and just before the end of the long first one (the
     * lab's 6.9 MiB); the pass ends at the next poll.
     */
    volatile boolean midPassPolls;
    /** The poll that sees the job end fails as libvirt's does once the domain has left (met in the lab). */
    volatile boolean pollRacesTheEnd;

    Dom add(String name, double dirtyMbps) {
        Dom d = new Dom(name);
        d.dirtyAtFullShareMbps = dirtyMbps;
        domains.put(name, d);
        return d;
    }

    Dom dom(String name) {
        Dom d = domains.get(name);
        if (d == null) {
            throw new HypervisorException("Domain not found: no domain with matching name '" + name + "'");
        }
        return d;
    }

    boolean started() {
        return calls.stream().anyMatch(c -> c.startsWith("startMigration"));
    }

    @Override
    public synchronized boolean isRunningHere(String domain) {
        Dom d = domains.get(domain);
        return d != null && d.here;
    }

    @Override
    public synchronized boolean isRunningAt(String connectUri, String domain) {
        Dom d = domains.get(domain);
        return d != null && d.atDestination;
    }

    @Override
    public synchronized boolean migratedAway(String domain) {
        Dom d = domains.get(domain);
        return d != null && !d.here && d.defined && d.atDestination;
    }

    @Override
    public synchronized boolean inPostCopy(String domain) {
        Dom d = dom(domain);
        return d.jobActive && d.postCopy;
    }

    @Override
    public synchronized boolean undefineInactive(String domain) {
        Dom d = domains.get(domain);
        if (d == null || !d.defined) {
            return false;
        }
        if (d.here) {
            throw new HypervisorException("domain " + domain + " runs on this host: not undefined");
        }
        d.defined = false;
        calls.add("undefine " + domain);
        return true;
    }

    @Override
    public synchronized DomainMemory memory(String domain) {
        Dom d = domains.get(domain);
        if (d == null || !d.here) {
            throw new NoSuchDomainException("Domain not found: no domain with matching name '" + domain + "'", null);
        }
        return new DomainMemory(domain, d.currentMib, d.memoryMib);
    }

    @Override
    public synchronized DomainMemory setCurrentMemory(String domain, long mib) {
        Dom d = dom(domain);
        if (!d.balloonDevice) {
            throw new HypervisorRefusedException("Requested operation is not valid: Unable to change memory of active "
                    + "domain without the balloon device and guest OS balloon driver", null);
        }
        if (mib > d.memoryMib) {
            throw new HypervisorRefusedException("invalid argument: cannot set memory higher than max memory", null);
        }
        calls.add("setCurrentMemory " + domain + " " + mib);
        d.currentMib = mib;
        return memory(domain);
    }

    @Override
    public synchronized long memoryMib(String domain) {
        return dom(domain).memoryMib;
    }

    @Override
    public synchronized double measureDirtyRateMbps(String domain, Duration window) {
        calls.add("measureDirtyRate " + domain);
        Dom d = dom(domain);
        return d.dirtyRateMbps(d.dirtyAtFullShareMbps);
    }

    @Override
    public synchronized CompletableFuture<Void> startMigration(String domain, MigrationParams params) {
        Dom d = dom(domain);
        calls.add("startMigration " + domain + " xbzrle=" + params.xbzrle() + " postcopy=" + params.postCopyAllowed());
        return d.startJob(params);
    }

    @Override
    public synchronized JobStats jobStats(String domain) {
        Dom d = dom(domain);
        if (!d.jobActive) {
            return JobStats.NONE;
        }
        if (midPassPolls && !d.postCopy && !d.midPassShown) {
            d.midPassShown = true;
            return new JobStats(true, d.iteration, 0, 4096, Math.round(1000 * 1_000_000 / 8.0),
                    Math.round(d.remainingMib * (d.iteration == 1 ? 0.001 : 0.5) * DataUnits.BYTES_PER_MIB),
                    Math.round((d.processedMib + d.remainingMib * 0.5) * DataUnits.BYTES_PER_MIB),
                    d.memoryMib * DataUnits.BYTES_PER_MIB, 0, 0);
        }
        d.midPassShown = false;
        if (d.postCopy && holdPostCopy) {
            return d.stats(0, bandwidthMbps);
        }
        double dirtyMbps = d.pass(d.dirtyAtFullShareMbps, bandwidthMbps);
        JobStats s = d.stats(dirtyMbps, bandwidthMbps);
        if (d.endIfPauseFits(d.maxDowntimeMs, () -> calls.add("completed " + domain)) && pollRacesTheEnd) {
            throw new HypervisorException("Requested operation is not valid: domain is not running");
        }
        return s;
    }

    @Override
    public synchronized Optional<JobStats> completedJobStats(String domain, String destinationUri) {
        return Optional.of(dom(domain).completedStats());
    }

    @Override
    public synchronized void abortJob(String domain) {
        Dom d = dom(domain);
        calls.add("abortJob " + domain);
        d.abort(() -> { });
    }

    @Override
    public synchronized void startPostCopy(String domain) {
        Dom d = dom(domain);
        calls.add("startPostCopy " + domain);
        d.startPostCopy();
    }

    @Override
    public synchronized void setMaxDowntime(String domain, long ms) {
        dom(domain).maxDowntimeMs = ms;
    }

    @Override
    public synchronized void setMaxSpeed(String domain, double mbps) {
        calls.add("setMaxSpeed " + domain);
    }

    @Override
    public synchronized CpuShare cpuShare(String domain) {
        return dom(domain).share;
    }

    @Override
    public synchronized void setCpuShare(String domain, CpuShare share) {
        Dom d = dom(domain);
        d.share = share;
        d.sharesSet.add(share);
    }

    @Override
    public synchronized void setCpuShareAt(String connectUri, String domain, CpuShare share) {
        calls.add("setCpuShareAt " + connectUri + " " + domain);
        dom(domain).destinationShare = share;
    }

    /** The profiler's view: each call adds 0.5 s of CPU time per vCPU-busy domain. */
    @Override
    public synchronized List<DomainUsage> sample() {
        List<DomainUsage> out = new ArrayList<>();
        for (Dom d : domains.values()) {
            if (d.here) {
                d.cpuTimeNs += 500_000_000L;
                out.add(new DomainUsage(d.name, 1, d.cpuTimeNs, d.memoryMib, d.memoryMib / 2, 0, 0, 0, 0, 0,
                        d.migratingIn ? null : d.dirtyRateMbps(d.dirtyAtFullShareMbps), d.migratingIn));
            }
        }
        return out;
    }
}
