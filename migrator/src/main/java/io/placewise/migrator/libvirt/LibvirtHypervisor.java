package io.placewise.migrator.libvirt;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.ptr.IntByReference;
import io.placewise.migrator.CpuShare;
import io.placewise.migrator.DomainAddresses;
import io.placewise.migrator.DomainMemory;
import io.placewise.migrator.DomainProbe;
import io.placewise.migrator.DomainUsage;
import io.placewise.migrator.Hypervisor;
import io.placewise.migrator.HypervisorException;
import io.placewise.migrator.HypervisorRefusedException;
import io.placewise.migrator.JobStats;
import io.placewise.migrator.MemoryBalloon;
import io.placewise.migrator.MigrationParams;
import io.placewise.migrator.NoSuchDomainException;
import io.placewise.precopy.DataUnits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.SchedLongParameter;
import org.libvirt.SchedParameter;
import org.libvirt.SchedUlongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/**
 * {@link Hypervisor} over libvirt-java 0.5.4 (STACK.md), plus {@link LibvirtNative} for what it
 * lacks (post-copy switch, max speed, dirty-rate measurement) and {@link VcpuCgroups} for CPU caps
 * during a migration. Migrations are live and peer-to-peer ({@code virDomainMigrateToURI3}): the
 * source libvirtd drives them, this class only starts, watches and steers. Exercised end to end in
 * the two-host lab of LAB.md; the unit tests use a fake {@link Hypervisor}.
 */
public final class LibvirtHypervisor implements Hypervisor, DomainProbe, MemoryBalloon, DomainAddresses, AutoCloseable {
    private static final int JOB_BOUNDED = 1;
    private static final int JOB_UNBOUNDED = 2;

    private final String uri;
    private final Connect connect;
    private final VcpuCgroups cgroups;
    private final ExecutorService migrationThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "placewise-migrate");
        t.setDaemon(true);
        return t;
    });
    /** Domains with an outgoing migration started by this instance: libvirt's scheduler API is locked. */
    private final Set<String> migrating = ConcurrentHashMap.newKeySet();
    /** Domains whose dirty rate is being measured for a migration: the profiler must not restart it. */
    private final Set<String> measuring = ConcurrentHashMap.newKeySet();
    /** Domains whose cgroups this instance wrote, so restores write them too. */
    private final Set<String> cgroupWritten = ConcurrentHashMap.newKeySet();
    private LibvirtNative nativeLib;
    private Pointer nativeConn;

    /**
     * @param uri        this host's libvirt URI, e.g. {@code qemu:///system} or, in the lab,
     *                   {@code qemu+tcp://10.77.0.1/system}
     * @param cgroupRoot the cpu controller's mount as seen by this process (see {@link VcpuCgroups})
     */
    public LibvirtHypervisor(String uri, Path cgroupRoot) {
        this.uri = uri;
        this.cgroups = new VcpuCgroups(cgroupRoot);
        try {
            this.connect = new Connect(uri);
        } catch (LibvirtException e) {
            throw fail("cannot connect to " + uri, e);
        }
    }

    @Override
    public boolean isRunningHere(String domain) {
        try {
            return connect.domainLookupByName(domain).isActive() == 1;
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return false;
            }
            throw fail("cannot look up " + domain, e);
        }
    }

    @Override
    public boolean isRunningAt(String connectUri, String domain) {
        Connect remote = null;
        try {
            remote = new Connect(connectUri);
            return remote.domainLookupByName(domain).isActive() == 1;
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return false;
            }
            throw fail("cannot look up " + domain + " on " + connectUri, e);
        } finally {
            closeQuietly(remote);
        }
    }

    @Override
    public boolean migratedAway(String domain) {
        try {
            int[] sr = state(domain);
            return sr[0] == LibvirtNative.VIR_DOMAIN_SHUTOFF && sr[1] == LibvirtNative.VIR_DOMAIN_SHUTOFF_MIGRATED;
        } catch (HypervisorException e) {
            return false; // no definition left here (or libvirt cannot say): the destination must be asked
        }
    }

    @Override
    public boolean inPostCopy(String domain) {
        int[] sr = state(domain);
        return sr[0] == LibvirtNative.VIR_DOMAIN_PAUSED && sr[1] == LibvirtNative.VIR_DOMAIN_PAUSED_POSTCOPY;
    }

    /** {state, reason} of virDomainGetState. */
    private int[] state(String domain) {
        return withNativeDomain(domain, dom -> {
            IntByReference st = new IntByReference();
            IntByReference reason = new IntByReference();
            check(lib().virDomainGetState(dom, st, reason, 0), "read the state of " + domain);
            return new int[] {st.getValue(), reason.getValue()};
        });
    }

    @Override
    public boolean undefineInactive(String domain) {
        Domain dom;
        try {
            dom = connect.domainLookupByName(domain);
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return false; // transient, or already gone
            }
            throw fail("cannot look up " + domain, e);
        }
        try {
            if (dom.isActive() == 1) {
                throw new HypervisorRefusedException("domain " + domain + " runs on this host: not undefined", null);
            }
            dom.undefine();
            return true;
        } catch (LibvirtException e) {
            throw fail("cannot undefine " + domain, e);
        }
    }

    @Override
    public long memoryMib(String domain) {
        try {
            return domain(domain).getMaxMemory() / 1024; // libvirt reports KiB
        } catch (LibvirtException e) {
            throw fail("cannot read memory of " + domain, e);
        }
    }

    /**
     * virDomainStartDirtyRateCalc (page sampling: QEMU hashes a sample of pages at the start and the
     * end of the window and counts those that changed), then the {@code dirtyrate.*} domain stats
     * (MiB/s) once measured. The profiler's own periodic measurement is kept off the domain
     * meanwhile, one still running is let finish first, and the result is checked to be this one
     * (its start time and period), so the number is fresh.
     */
    @Override
    public double measureDirtyRateMbps(String domain, Duration window) {
        int seconds = (int) Math.max(1, window.toSeconds());
        measuring.add(domain);
        try {
            return withNativeDomain(domain, dom -> {
                long deadline = System.currentTimeMillis() + 2 * seconds * 1000L + 15_000;
                while (num(domainStats(dom, LibvirtNative.VIR_DOMAIN_STATS_DIRTYRATE), "dirtyrate.calc_status")
                        == LibvirtNative.VIR_DOMAIN_DIRTYRATE_MEASURING && System.currentTimeMillis() < deadline) {
                    sleep(200); // QEMU runs one calculation at a time
                }
                long startedS = System.currentTimeMillis() / 1000;
                check(lib().virDomainStartDirtyRateCalc(dom, seconds, 0), "start dirty-rate calculation of " + domain);
                sleep(seconds * 1000L);
                while (true) {
                    Map<String, String> stats = domainStats(dom, LibvirtNative.VIR_DOMAIN_STATS_DIRTYRATE);
                    boolean ours = num(stats, "dirtyrate.calc_start_time") >= startedS - 1
                            && num(stats, "dirtyrate.calc_period") == seconds;
                    if (ours && num(stats, "dirtyrate.calc_status") == LibvirtNative.VIR_DOMAIN_DIRTYRATE_MEASURED) {
                        return DataUnits.mibPerSecondToMbps(
                                Double.parseDouble(stats.getOrDefault("dirtyrate.megabytes_per_second", "0")));
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new HypervisorException("dirty rate of " + domain + " not measured in time: " + stats);
                    }
                    sleep(200);
                }
            });
        } finally {
            measuring.remove(domain);
        }
    }

    @Override
    public CompletableFuture<Void> startMigration(String domain, MigrationParams params) {
        Domain dom = lookup(domain);
        List<TypedParameter> typed = new ArrayList<>();
        // PERSIST_DEST: the destination keeps a definition, so when the VM later leaves that host it
        // keeps the completed job statistics (a transient source keeps none after post-copy: lab).
        int flags = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PEER2PEER | Domain.MigrateFlags.PERSIST_DEST;
        if (params.bandwidthMbps() != null) {
            // libvirt's bandwidth parameter is MiB/s
            typed.add(new TypedUlongParameter("bandwidth",
                    Math.max(1, (long) Math.floor(DataUnits.mbpsToMibPerSecond(params.bandwidthMbps())))));
        }
        if (params.xbzrle()) {
            flags |= Domain.MigrateFlags.COMPRESSED;
            typed.add(new TypedStringParameter("compression", "xbzrle"));
            if (params.xbzrleCacheMib() > 0) {
                typed.add(new TypedUlongParameter("compression.xbzrle.cache",
                        params.xbzrleCacheMib() * DataUnits.BYTES_PER_MIB));
            }
        }
        if (params.postCopyAllowed()) {
            flags |= Domain.MigrateFlags.POSTCOPY; // enables the later switch; does not start post-copy
        }
        int migrateFlags = flags;
        TypedParameter[] array = typed.toArray(new TypedParameter[0]);
        migrating.add(domain);
        // virDomainMigrateToURI3 blocks until the migration ends: run it on its own thread.
        return CompletableFuture.runAsync(() -> {
            try {
                if (array.length == 0) {
                    // libvirt-java cannot pass an empty parameter list (index out of bounds while
                    // building it): plain virDomainMigrateToURI, no rename, no bandwidth cap.
                    dom.migrateToURI(params.destinationUri(), migrateFlags, null, 0);
                } else {
                    dom.migrateToURI(params.destinationUri(), array, migrateFlags);
                }
            } catch (LibvirtException e) {
                throw new CompletionException(fail("migration of " + domain + " to " + params.destinationUri()
                        + " failed", e));
            }
        }, migrationThreads).whenComplete((ok, err) -> migrating.remove(domain));
    }

    @Override
    public JobStats jobStats(String domain) {
        try {
            return toJobStats(domain(domain).getJobStats(0));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_SUPPORT) {
                // A driver without job statistics (libvirt's test driver) runs no jobs to observe.
                return JobStats.NONE;
            }
            throw fail("cannot read job stats of " + domain, e);
        }
    }

    /** VIR_DOMAIN_JOB_STATS_COMPLETED on the source, else on the destination (where the domain now lives). */
    @Override
    public Optional<JobStats> completedJobStats(String domain, String destinationUri) {
        try {
            DomainJobStats stats = domain(domain).getJobStats(Domain.DomainGetJobStatsFlags.COMPLETED);
            if (stats.stats != null && stats.stats.length > 0) {
                return Optional.of(toJobStats(stats));
            }
        } catch (LibvirtException e) {
            // a transient domain is gone from the source once migrated: ask the destination
        }
        Connect remote = null;
        try {
            remote = new Connect(destinationUri);
            DomainJobStats stats = remote.domainLookupByName(domain)
                    .getJobStats(Domain.DomainGetJobStatsFlags.COMPLETED);
            return stats.stats == null || stats.stats.length == 0 ? Optional.empty() : Optional.of(toJobStats(stats));
        } catch (LibvirtException e) {
            return Optional.empty();
        } finally {
            closeQuietly(remote);
        }
    }

    @Override
    public void abortJob(String domain) {
        try {
            domain(domain).abortJob();
        } catch (LibvirtException e) {
            throw fail("cannot abort the job of " + domain, e);
        }
    }

    @Override
    public void startPostCopy(String domain) {
        withNativeDomain(domain, dom -> {
            check(lib().virDomainMigrateStartPostCopy(dom, 0), "switch " + domain + " to post-copy");
            return null;
        });
    }

    @Override
    public void setMaxDowntime(String domain, long ms) {
        try {
            domain(domain).migrateSetMaxDowntime(ms);
        } catch (LibvirtException e) {
            throw fail("cannot set max downtime of " + domain, e);
        }
    }

    @Override
    public void setMaxSpeed(String domain, double mbps) {
        long mibPerS = Math.max(1, (long) Math.floor(DataUnits.mbpsToMibPerSecond(mbps)));
        withNativeDomain(domain, dom -> {
            check(lib().virDomainMigrateSetMaxSpeed(dom, new NativeLong(mibPerS), 0), "set max speed of " + domain);
            return null;
        });
    }

    @Override
    public CpuShare cpuShare(String domain) {
        try {
            return readShare(domain(domain));
        } catch (LibvirtException e) {
            throw fail("cannot read scheduler parameters of " + domain, e);
        }
    }

    /**
     * Through libvirt when no migration holds the domain's job; through the vCPU cgroups while one
     * does (LAB.md). A restore after cgroup writes goes through both, so libvirt's view and the
     * kernel's agree again.
     */
    @Override
    public void setCpuShare(String domain, CpuShare share) {
        if (migrating.contains(domain) || jobStats(domain).active()) {
            cgroups.write(domain, share);
            cgroupWritten.add(domain);
            return;
        }
        try {
            applySched(domain(domain), share);
        } catch (LibvirtException e) {
            throw fail("cannot set scheduler parameters of " + domain, e);
        }
        if (cgroupWritten.remove(domain)) {
            cgroups.write(domain, share);
        }
    }

    @Override
    public void setCpuShareAt(String connectUri, String domain, CpuShare share) {
        Connect remote = null;
        try {
            remote = new Connect(connectUri);
            applySched(remote.domainLookupByName(domain), share);
        } catch (LibvirtException e) {
            throw fail("cannot set scheduler parameters of " + domain + " on " + connectUri, e);
        } finally {
            closeQuietly(remote);
        }
    }

    /**
     * The profiler's counters of every running domain, from virDomainListGetStats (state, cpu,
     * balloon, vcpu, interface, block, dirtyrate groups). The dirty rate is libvirt's latest
     * measurement; a new one-second measurement is started here for the next sample, except on a
     * domain this instance is migrating (QEMU runs one dirty-page tracker at a time).
     */
    @Override
    public List<DomainUsage> sample() {
        List<DomainUsage> out = new ArrayList<>();
        for (String name : runningDomains()) {
            try {
                out.add(withNativeDomain(name, dom -> usage(name, dom)));
            } catch (HypervisorException e) {
                // gone or migrated meanwhile: it is reported by its new host
            }
        }
        return out;
    }

    /**
     * The running domains' interface addresses: DHCP leases of libvirt's own networks first, else
     * the host's neighbour (ARP) table for the interfaces' MAC addresses (guests on a plain bridge).
     */
    @Override
    public Map<String, List<java.net.InetAddress>> addresses() {
        Map<String, List<java.net.InetAddress>> out = new java.util.HashMap<>();
        for (String name : runningDomains()) {
            try {
                Domain d = domain(name);
                List<java.net.InetAddress> found = new ArrayList<>();
                for (int source : new int[] {org.libvirt.Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
                        org.libvirt.Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP}) {
                    try {
                        for (org.libvirt.DomainInterface i : d.interfaceAddresses(source, 0)) {
                            if (i.addrs != null) {
                                i.addrs.forEach(a -> found.add(a.address));
                            }
                        }
                    } catch (LibvirtException e) {
                        // this source does not apply to the domain's interfaces (no libvirt network, say)
                    }
                    if (!found.isEmpty()) {
                        break;
                    }
                }
                out.put(name, List.copyOf(found));
            } catch (LibvirtException e) {
                // the domain went away between listing and lookup
            }
        }
        return out;
    }

    /** The names of the domains running here. */
    private List<String> runningDomains() {
        List<String> names = new ArrayList<>();
        try {
            for (int id : connect.listDomains()) {
                try {
                    names.add(connect.domainLookupByID(id).getName());
                } catch (LibvirtException e) {
                    // the domain went away between listing and lookup
                }
            }
        } catch (LibvirtException e) {
            throw fail("cannot list domains", e);
        }
        return names;
    }

    private DomainUsage usage(String name, Pointer dom) {
        Map<String, String> f = domainStats(dom, LibvirtNative.VIR_DOMAIN_STATS_PROFILER);
        long rxBytes = 0;
        long txBytes = 0;
        for (int i = 0; i < num(f, "net.count"); i++) {
            rxBytes += num(f, "net." + i + ".rx.bytes");
            txBytes += num(f, "net." + i + ".tx.bytes");
        }
        long rd = 0;
        long wr = 0;
        for (int i = 0; i < num(f, "block.count"); i++) {
            rd += num(f, "block." + i + ".rd.bytes");
            wr += num(f, "block." + i + ".wr.bytes");
        }
        long maxKib = num(f, "balloon.maximum");
        long usedKib;
        if (f.containsKey("balloon.available") && f.containsKey("balloon.unused")) {
            usedKib = num(f, "balloon.available") - num(f, "balloon.unused"); // the guest's own view
        } else if (f.containsKey("balloon.rss")) {
            usedKib = Math.min(num(f, "balloon.rss"), maxKib > 0 ? maxKib : Long.MAX_VALUE); // QEMU's resident memory
        } else {
            usedKib = num(f, "balloon.current");
        }
        long state = num(f, "state.state");
        long reason = num(f, "state.reason");
        // null: libvirt would not say (it refuses job statistics on a migration's destination)
        Boolean job = migrating.contains(name) ? Boolean.TRUE : jobActive(name);
        boolean outgoing = Boolean.TRUE.equals(job);
        // The destination side of a migration: paused while its pages arrive ("starting up" for its
        // first half second, then "migrating": lab), or running in post-copy. It still belongs to
        // its source. (The source pauses for the switch-over too, but it has the outgoing job; a
        // domain simply starting up has job statistics, an arriving one is refused them.)
        boolean migratingIn = state == LibvirtNative.VIR_DOMAIN_PAUSED
                && (reason == LibvirtNative.VIR_DOMAIN_PAUSED_MIGRATION && !outgoing
                    || reason == LibvirtNative.VIR_DOMAIN_PAUSED_STARTING_UP && job == null)
                || state == LibvirtNative.VIR_DOMAIN_RUNNING && reason == LibvirtNative.VIR_DOMAIN_RUNNING_POSTCOPY;
        Double dirty = null;
        if (!migratingIn && num(f, "dirtyrate.calc_status") == LibvirtNative.VIR_DOMAIN_DIRTYRATE_MEASURED) {
            dirty = DataUnits.mibPerSecondToMbps(Double.parseDouble(f.getOrDefault("dirtyrate.megabytes_per_second", "0")));
        }
        // Only on a running domain without a job: a migration holds the domain's job lock and the
        // call would wait 30 s for it (lab: the destination's incoming domain), and a measurement
        // for a migration about to start is under way in measureDirtyRateMbps.
        if (state == LibvirtNative.VIR_DOMAIN_RUNNING && !migratingIn && Boolean.FALSE.equals(job) && !measuring.contains(name)
                && num(f, "dirtyrate.calc_status") != LibvirtNative.VIR_DOMAIN_DIRTYRATE_MEASURING) {
            lib().virDomainStartDirtyRateCalc(dom, 1, 0); // best effort: no rate next time if refused
        }
        if (maxKib <= 0) {
            maxKib = memoryMib(name) * 1024; // drivers without balloon stats
        }
        return new DomainUsage(name, (int) Math.max(num(f, "vcpu.current"), 1), num(f, "cpu.time"), maxKib / 1024,
                Math.max(usedKib, 0) / 1024, rxBytes, txBytes, rd, wr, num(f, "balloon.swap_out"), dirty, migratingIn);
    }

    /** Whether the domain has a job (an outgoing migration); null when libvirt does not say. */
    private Boolean jobActive(String name) {
        try {
            return jobStats(name).active();
        } catch (HypervisorException e) {
            return null; // e.g. the destination of a migration: "statistics are available only on the source"
        }
    }

    @Override
    public DomainMemory memory(String domain) {
        try {
            Domain dom = domain(domain);
            if (dom.isActive() != 1) {
                throw new NoSuchDomainException("domain " + domain + " is not running on this host", null);
            }
            org.libvirt.DomainInfo info = dom.getInfo();
            return new DomainMemory(domain, info.memory / 1024, info.maxMem / 1024); // KiB
        } catch (LibvirtException e) {
            throw fail("cannot read the memory of " + domain, e);
        }
    }

    /** virDomainSetMemoryFlags, live and (for a persistent domain) in its definition. */
    @Override
    public DomainMemory setCurrentMemory(String domain, long mib) {
        boolean persistent;
        try {
            persistent = domain(domain).isPersistent() == 1;
        } catch (LibvirtException e) {
            throw fail("cannot look up " + domain, e);
        }
        int flags = LibvirtNative.VIR_DOMAIN_AFFECT_LIVE | (persistent ? LibvirtNative.VIR_DOMAIN_AFFECT_CONFIG : 0);
        withNativeDomain(domain, dom -> {
            check(lib().virDomainSetMemoryFlags(dom, new NativeLong(mib * 1024), flags),
                    "set the memory of " + domain + " to " + mib + " MiB");
            return null;
        });
        return memory(domain);
    }

    @Override
    public void close() {
        migrationThreads.shutdownNow();
        synchronized (this) {
            if (nativeConn != null) {
                lib().virConnectClose(nativeConn);
                nativeConn = null;
            }
        }
        closeQuietly(connect);
    }

    // --- helpers ---------------------------------------------------------------------------

    private Domain domain(String name) throws LibvirtException {
        return connect.domainLookupByName(name);
    }

    private Domain lookup(String name) {
        try {
            return domain(name);
        } catch (LibvirtException e) {
            throw fail("cannot look up " + name, e);
        }
    }

    private static CpuShare readShare(Domain dom) throws LibvirtException {
        long period = CpuShare.DEFAULT_PERIOD_US;
        long quota = -1;
        for (SchedParameter p : dom.getSchedulerParameters()) {
            if ("vcpu_period".equals(p.field)) {
                period = Long.parseUnsignedLong(p.getValueAsString());
            } else if ("vcpu_quota".equals(p.field)) {
                quota = Long.parseLong(p.getValueAsString());
            }
        }
        return new CpuShare(period, quota);
    }

    /**
     * One parameter per call: libvirt-java 0.5.4 fails on arrays of more than one
     * ("Structure array elements must use contiguous memory"; met in the lab).
     */
    private static void applySched(Domain dom, CpuShare share) throws LibvirtException {
        for (SchedParameter p : schedParams(share)) {
            dom.setSchedulerParameters(new SchedParameter[] {p});
        }
    }

    private static SchedParameter[] schedParams(CpuShare share) {
        SchedUlongParameter period = new SchedUlongParameter(share.periodUs() > 0 ? share.periodUs()
                : CpuShare.DEFAULT_PERIOD_US);
        period.field = "vcpu_period";
        SchedLongParameter quota = new SchedLongParameter(share.quotaUs());
        quota.field = "vcpu_quota";
        return new SchedParameter[] {period, quota};
    }

    private static JobStats toJobStats(DomainJobStats raw) {
        Map<String, String> f = new HashMap<>();
        if (raw.stats != null) {
            for (TypedParameter p : raw.stats) {
                f.put(p.field, p.getValueAsString());
            }
        }
        boolean active = raw.type == JOB_BOUNDED || raw.type == JOB_UNBOUNDED;
        return new JobStats(active, num(f, "memory_iteration"), num(f, "memory_dirty_rate"),
                f.containsKey("memory_page_size") ? num(f, "memory_page_size") : 4096, num(f, "memory_bps"),
                num(f, "memory_remaining"), num(f, "memory_processed"), num(f, "memory_total"), num(f, "downtime"),
                num(f, "time_elapsed"));
    }

    private static long num(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(v);
        }
    }

    private synchronized LibvirtNative lib() {
        if (nativeLib == null) {
            nativeLib = LibvirtNative.load();
        }
        return nativeLib;
    }

    private synchronized Pointer nativeConnection() {
        if (nativeConn == null) {
            nativeConn = lib().virConnectOpen(uri);
            if (nativeConn == null) {
                throw new HypervisorException("cannot connect to " + uri + ": " + lib().virGetLastErrorMessage());
            }
        }
        return nativeConn;
    }

    private interface NativeCall<T> {
        T apply(Pointer domain);
    }

    private <T> T withNativeDomain(String domain, NativeCall<T> call) {
        Pointer dom = lib().virDomainLookupByName(nativeConnection(), domain);
        if (dom == null) {
            int code = lib().virGetLastErrorCode();
            throw typed("cannot look up " + domain + ": " + lib().virGetLastErrorMessage(), code, null);
        }
        try {
            return call.apply(dom);
        } finally {
            lib().virDomainFree(dom);
        }
    }

    /** virDomainListGetStats for one domain, as field → value strings. */
    private Map<String, String> domainStats(Pointer dom, int groups) {
        PointerByReference records = new PointerByReference();
        // NOWAIT: what needs the domain's job is left out rather than waited for (30 s) while a
        // migration holds it (lab: the destination's incoming domain).
        int n = lib().virDomainListGetStats(new Pointer[] {dom, null}, groups, records,
                LibvirtNative.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
        check(n, "read domain stats");
        Map<String, String> out = new HashMap<>();
        Pointer list = records.getValue();
        try {
            if (n > 0 && list != null) {
                Pointer record = list.getPointer(0);
                // struct _virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
                Pointer params = record.getPointer(Native.POINTER_SIZE);
                int count = record.getInt(2L * Native.POINTER_SIZE);
                // Read in place: libvirt-java's TypedParameter.fromPointer frees the array itself,
                // and virDomainStatsRecordListFree below frees it again (a double free kills the JVM).
                for (int i = 0; i < count; i++) {
                    readTypedParameter(params.share((long) i * TYPED_PARAM_SIZE), out);
                }
            }
        } finally {
            if (list != null) {
                lib().virDomainStatsRecordListFree(list);
            }
        }
        return out;
    }

    /** sizeof(virTypedParameter): char field[80]; int type; (padding); 8-byte value union. */
    private static final int TYPED_PARAM_SIZE = 96;
    private static final int TYPED_PARAM_TYPE = 80;
    private static final int TYPED_PARAM_VALUE = 88;

    private static void readTypedParameter(Pointer p, Map<String, String> out) {
        String field = p.getString(0);
        String value = switch (p.getInt(TYPED_PARAM_TYPE)) {
            case 1, 6 -> Integer.toString(p.getInt(TYPED_PARAM_VALUE)); // INT, BOOLEAN
            case 2 -> Integer.toUnsignedString(p.getInt(TYPED_PARAM_VALUE)); // UINT
            case 3 -> Long.toString(p.getLong(TYPED_PARAM_VALUE)); // LLONG
            case 4 -> Long.toUnsignedString(p.getLong(TYPED_PARAM_VALUE)); // ULLONG
            case 5 -> Double.toString(p.getDouble(TYPED_PARAM_VALUE)); // DOUBLE
            case 7 -> { // STRING
                Pointer s = p.getPointer(TYPED_PARAM_VALUE);
                yield s == null ? "" : s.getString(0);
            }
            default -> null;
        };
        if (value != null) {
            out.put(field, value);
        }
    }

    private void check(int rc, String what) {
        if (rc < 0) {
            int code = lib().virGetLastErrorCode();
            throw typed("cannot " + what + ": " + lib().virGetLastErrorMessage(), code, null);
        }
    }

    private static HypervisorException fail(String what, LibvirtException e) {
        int code = e.getError() == null || e.getError().getCode() == null ? -1 : e.getError().getCode().ordinal();
        return typed(what + ": " + e.getMessage(), code, e);
    }

    /** libvirt's error number (libvirt-java's ErrorNumber is in libvirt's order) to the port's exceptions. */
    private static HypervisorException typed(String message, int code, Throwable cause) {
        if (code == Error.ErrorNumber.VIR_ERR_NO_DOMAIN.ordinal()) {
            return new NoSuchDomainException(message, cause);
        }
        if (code == Error.ErrorNumber.VIR_ERR_OPERATION_INVALID.ordinal()
                || code == Error.ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED.ordinal()
                || code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT.ordinal()
                || code == Error.ErrorNumber.VIR_ERR_INVALID_ARG.ordinal()
                || code == Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED.ordinal()) {
            return new HypervisorRefusedException(message, cause);
        }
        return new HypervisorException(message, cause);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while measuring the dirty rate");
        }
    }

    private static void closeQuietly(Connect c) {
        if (c != null) {
            try {
                c.close();
            } catch (LibvirtException e) {
                // closing is best effort
            }
        }
    }
}
