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

    static final class Dom {
        final String name;
        long memoryMib = 1024;
        double dirtyAtFullShareMbps;
        boolean here = true;
        /** Kept defined on this host after it left (libvirt's inactive definition). */
        boolean defined = true;
        boolean atDestination;
        /** The destination side of someone else's migration: paused here while its pages arrive. */
        boolean migratingIn;
        long currentMib = 1024;
        boolean balloonDevice = true;
        CpuShare share = ORIGINAL;
        CpuShare destinationShare;
        long cpuTimeNs;
        // its migration job
        boolean jobActive;
        boolean postCopy;
        long iteration;
        double remainingMib;
        double processedMib;
        long downtimeMs;
        long maxDowntimeMs = 300;
        boolean midPassShown;
        MigrationParams params;
        CompletableFuture<Void> handle;
        final List<CpuShare> sharesSet = new ArrayList<>();

        Dom(String name) {
            this.name = name;
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
        return d.dirtyAtFullShareMbps * d.share.pct() / 100;
    }

    @Override
    public synchronized CompletableFuture<Void> startMigration(String domain, MigrationParams params) {
        Dom d = dom(domain);
        calls.add("startMigration " + domain + " xbzrle=" + params.xbzrle() + " postcopy=" + params.postCopyAllowed());
        d.params = params;
        d.jobActive = true;
        d.postCopy = false;
        d.iteration = 1;
        d.remainingMib = d.memoryMib;
        d.processedMib = 0;
        d.handle = new CompletableFuture<>();
        return d.handle;
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
        double dirtyMbps = 0;
        if (d.postCopy) {
            if (holdPostCopy) {
                return stats(d, 0);
            }
            d.processedMib += d.remainingMib;
            d.remainingMib = 0;
            d.downtimeMs = 5;
        } else {
            double seconds = DataUnits.mibToMbit(d.remainingMib) / bandwidthMbps;
            d.processedMib += d.remainingMib;
            dirtyMbps = d.dirtyAtFullShareMbps * d.share.pct() / 100;
            d.remainingMib = Math.min(DataUnits.mbitToMib(dirtyMbps * seconds), d.memoryMib);
            d.iteration++;
            d.downtimeMs = Math.round(DataUnits.mibToMbit(d.remainingMib) / bandwidthMbps * 1000);
        }
        JobStats s = stats(d, dirtyMbps);
        if (d.postCopy || d.downtimeMs <= d.maxDowntimeMs) {
            d.processedMib += d.remainingMib;
            d.remainingMib = 0;
            d.jobActive = false;
            d.here = false;
            d.atDestination = true;
            calls.add("completed " + domain);
            if (d.handle != null) { // null when the agent that started the job died
                d.handle.complete(null);
            }
            if (pollRacesTheEnd) {
                throw new HypervisorException("Requested operation is not valid: domain is not running");
            }
        }
        return s;
    }

    private static JobStats stats(Dom d, double dirtyMbps) {
        return new JobStats(true, d.iteration, Math.round(dirtyMbps * 1_000_000 / 8 / 4096), 4096,
                Math.round(1000 * 1_000_000 / 8.0), Math.round(d.remainingMib * DataUnits.BYTES_PER_MIB),
                Math.round(d.processedMib * DataUnits.BYTES_PER_MIB), d.memoryMib * DataUnits.BYTES_PER_MIB,
                d.downtimeMs, 0);
    }

    @Override
    public synchronized Optional<JobStats> completedJobStats(String domain, String destinationUri) {
        Dom d = dom(domain);
        return Optional.of(new JobStats(false, d.iteration, 0, 4096, 0, 0,
                Math.round(d.processedMib * DataUnits.BYTES_PER_MIB), d.memoryMib * DataUnits.BYTES_PER_MIB,
                d.downtimeMs, 0));
    }

    @Override
    public synchronized void abortJob(String domain) {
        Dom d = dom(domain);
        calls.add("abortJob " + domain);
        if (!d.jobActive) {
            throw new HypervisorException("Requested operation is not valid: no job is active on the domain");
        }
        if (d.postCopy) {
            throw new HypervisorException("cannot abort migration in post-copy mode");
        }
        d.jobActive = false;
        if (d.handle != null) {
            d.handle.completeExceptionally(new HypervisorException("operation aborted: migration job: canceled by client"));
        }
    }

    @Override
    public synchronized void startPostCopy(String domain) {
        Dom d = dom(domain);
        calls.add("startPostCopy " + domain);
        if (d.params == null || !d.params.postCopyAllowed()) {
            throw new HypervisorException("post-copy migration was not enabled");
        }
        d.postCopy = true;
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
                        d.migratingIn ? null : d.dirtyAtFullShareMbps * d.share.pct() / 100, d.migratingIn));
            }
        }
        return out;
    }
}
