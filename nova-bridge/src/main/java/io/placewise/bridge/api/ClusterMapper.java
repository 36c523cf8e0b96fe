package io.placewise.bridge.api;

import io.placewise.service.api.FieldErrors;
import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterDtos.HostDto;
import io.placewise.bridge.api.ClusterDtos.ServerGroupDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.model.Ar1Forecast;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.GroupPolicy;
import io.placewise.model.Host;
import io.placewise.model.HostUsage;
import io.placewise.model.LoadSample;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Turns cluster snapshots on the wire into the model and back. */
public final class ClusterMapper {
    private ClusterMapper() {
    }

    /**
     * A full snapshot ({@code PUT /v1/cluster}). Host utilisations that are omitted are derived from
     * the host's VMs (NIC: traffic with VMs on other hosts only; IDC does not count).
     *
     * @throws io.placewise.service.http.ApiProblem 422 listing every problem
     */
    public static ClusterSnapshot toSnapshot(ClusterDto dto) {
        WireChecks.require(dto);
        FieldErrors errors = new FieldErrors();
        Map<String, HostDto> hostDtos = new LinkedHashMap<>();
        for (int i = 0; i < dto.hosts().size(); i++) {
            HostDto h = dto.hosts().get(i);
            if (hostDtos.putIfAbsent(h.name(), h) != null) {
                errors.add("hosts[" + i + "].name", "duplicate host '" + h.name() + "'");
            }
            if (h.capacity() == null) {
                errors.add("hosts[" + i + "].capacity", "must not be null");
            }
        }
        List<Vm> vms = new ArrayList<>();
        Set<String> vmIds = new HashSet<>();
        List<VmDto> vmDtos = dto.vms() == null ? List.of() : dto.vms();
        for (int i = 0; i < vmDtos.size(); i++) {
            VmDto v = vmDtos.get(i);
            String at = "vms[" + i + "]";
            if (!vmIds.add(v.id())) {
                errors.add(at + ".id", "duplicate VM '" + v.id() + "'");
            }
            if (v.host() == null) {
                errors.add(at + ".host", "must not be null");
            } else if (!hostDtos.containsKey(v.host())) {
                errors.add(at + ".host", "unknown host '" + v.host() + "'");
            }
            if (Boolean.TRUE.equals(v.migratingIn())) {
                errors.add(at + ".migrating_in", "only a profiler sample reports a VM migrating in; place it on its host");
            }
            Vm vm = toVm(v, v.host(), null, at, errors);
            if (vm != null) {
                vms.add(vm);
            }
        }
        List<Traffic> traffic = toTraffic(dto.traffic(), "traffic", vmIds, errors);
        Map<String, GroupPolicy> groupPolicies = toGroups(dto.groups(), vms, errors);
        errors.throwIfAny();

        Map<String, List<Vm>> byHost = new HashMap<>();
        vms.forEach(v -> byHost.computeIfAbsent(v.host(), k -> new ArrayList<>()).add(v));
        Map<String, String> hostOfVm = new HashMap<>();
        vms.forEach(v -> hostOfVm.put(v.id(), v.host()));
        Map<String, Double> externalMbps = new HashMap<>();
        for (Traffic t : traffic) {
            String a = hostOfVm.get(t.src());
            String b = hostOfVm.get(t.dst());
            if (!a.equals(b)) {
                externalMbps.merge(a, t.mbps(), Double::sum);
                externalMbps.merge(b, t.mbps(), Double::sum);
            }
        }
        List<Host> hosts = new ArrayList<>();
        for (HostDto h : hostDtos.values()) {
            Capacity cap = toCapacity(h.capacity());
            List<Vm> on = byHost.getOrDefault(h.name(), List.of());
            double cpu = h.cpuUtil() != null ? h.cpuUtil() : Math.min(1.0, sum(on, Vm::cpuUtil));
            double mem = h.memUtil() != null ? h.memUtil()
                    : cap.memoryMb() == 0 ? 0 : Math.min(1.0, sum(on, v -> v.memUtil() * v.memoryMb()) / cap.memoryMb());
            double swap = h.swapWritesPerS() != null ? h.swapWritesPerS() : sum(on, Vm::swapWritesPerS);
            double nic = h.nicUtil() != null ? h.nicUtil()
                    : cap.nicMbps() == 0 ? 0 : Math.min(1.0, externalMbps.getOrDefault(h.name(), 0.0) / cap.nicMbps());
            hosts.add(new Host(h.name(), cap, cpu, mem, swap, nic, h.enabled() == null || h.enabled(), blankToNull(h.availabilityZone())));
        }
        return new ClusterSnapshot(hosts, vms, traffic, Map.of(), groupPolicies);
    }

    /**
     * Server groups with their rules; the VMs a group lists join it (in {@code vms}, replaced in
     * place). A VM already naming another group is an error: a VM is in one group at most.
     */
    static Map<String, GroupPolicy> toGroups(List<ServerGroupDto> dtos, List<Vm> vms, FieldErrors errors) {
        Map<String, GroupPolicy> out = new LinkedHashMap<>();
        if (dtos == null) {
            return out;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vms.size(); i++) {
            index.put(vms.get(i).id(), i);
        }
        for (int i = 0; i < dtos.size(); i++) {
            ServerGroupDto g = dtos.get(i);
            String at = "groups[" + i + "]";
            var policy = GroupPolicy.fromWire(g.policy());
            if (policy.isEmpty()) {
                errors.add(at + ".policy", "unknown policy '" + g.policy()
                        + "' (one of affinity, anti-affinity, soft-affinity, soft-anti-affinity)");
                continue;
            }
            if (out.putIfAbsent(g.name(), policy.get()) != null) {
                errors.add(at + ".name", "duplicate group '" + g.name() + "'");
                continue;
            }
            List<String> members = g.members() == null ? List.of() : g.members();
            for (int m = 0; m < members.size(); m++) {
                Integer where = index.get(members.get(m));
                if (where == null) {
                    errors.add(at + ".members[" + m + "]", "unknown VM '" + members.get(m) + "'");
                    continue;
                }
                Vm vm = vms.get(where);
                if (vm.group() != null && !vm.group().equals(g.name())) {
                    errors.add(at + ".members[" + m + "]", "VM '" + vm.id() + "' is in group '" + vm.group() + "'");
                    continue;
                }
                vms.set(where, new Vm(vm.id(), vm.host(), vm.vcpus(), vm.memoryMb(), vm.diskGb(), vm.cpuUtil(), vm.memUtil(),
                        vm.swapWritesPerS(), vm.dirtyRateMbps(), vm.workload(), vm.nonsharable(), g.name(),
                        vm.toleratesSlowing()));
            }
        }
        return out;
    }

    /**
     * The one host-merge rule of a profiler sample and of a host object in a scheduling request: a value
     * given replaces what the bridge knows of the host, one omitted (null) keeps the known value; a host
     * the bridge does not know starts idle, enabled and in no zone.
     */
    public static Host mergeHost(Host known, String name, Capacity capacity, Double cpuUtil, Double memUtil,
                          Double swapWritesPerS, Double nicUtil, Boolean enabled, String zone) {
        return new Host(name, capacity,
                cpuUtil != null ? cpuUtil : known == null ? 0 : known.cpuUtil(),
                memUtil != null ? memUtil : known == null ? 0 : known.memUtil(),
                swapWritesPerS != null ? swapWritesPerS : known == null ? 0 : known.swapWritesPerS(),
                nicUtil != null ? nicUtil : known == null ? 0 : known.nicUtil(),
                enabled != null ? enabled : known == null || known.enabled(),
                blankToNull(zone) != null ? blankToNull(zone) : known == null ? null : known.availabilityZone());
    }

    /** A capacity from the wire, fields it omits taken from {@code known} (the bridge's view). */
    public static Capacity mergeCapacity(CapacityDto c, Capacity known) {
        if (known == null) {
            return toCapacity(c);
        }
        return new Capacity(c.vcpus() != null ? c.vcpus() : known.vcpus(),
                c.memoryMb() != null ? c.memoryMb() : known.memoryMb(),
                c.diskGb() != null ? c.diskGb() : known.diskGb(),
                c.nicMbps() != null ? c.nicMbps() : known.nicMbps());
    }

    public static Capacity toCapacity(CapacityDto c) {
        return new Capacity(c.vcpus(), c.memoryMb(), c.diskGb() == null ? 0 : c.diskGb(),
                c.nicMbps() == null ? 0 : c.nicMbps());
    }

    /**
     * A VM from the wire, its omitted fields taken from {@code previous} (a profiler sample updates
     * what it measures); a new VM needs its flavor. Returns null after recording an error.
     */
    public static Vm toVm(VmDto v, String host, Vm previous, String at, FieldErrors errors) {
        WorkloadClass workload = previous == null ? WorkloadClass.MIXED : previous.workload();
        if (v.workload() != null) {
            var w = WorkloadClass.fromWire(v.workload());
            if (w.isEmpty()) {
                errors.add(at + ".workload", "unknown workload '" + v.workload() + "' (one of cpu, memory, disk_io, net_rx, web, mixed)");
                return null;
            }
            workload = w.get();
        }
        if (previous == null && (v.vcpus() == null || v.memoryMb() == null)) {
            if (v.vcpus() == null) {
                errors.add(at + ".vcpus", "must not be null");
            }
            if (v.memoryMb() == null) {
                errors.add(at + ".memory_mb", "must not be null");
            }
            return null;
        }
        if (host == null) {
            return null;
        }
        return new Vm(v.id(), host,
                v.vcpus() != null ? v.vcpus() : previous.vcpus(),
                v.memoryMb() != null ? v.memoryMb() : previous.memoryMb(),
                v.diskGb() != null ? v.diskGb() : previous == null ? 0 : previous.diskGb(),
                v.cpuUtil() != null ? v.cpuUtil() : previous == null ? 0 : previous.cpuUtil(),
                v.memUtil() != null ? v.memUtil() : previous == null ? 0 : previous.memUtil(),
                v.swapWritesPerS() != null ? v.swapWritesPerS() : previous == null ? 0 : previous.swapWritesPerS(),
                v.dirtyRateMbps() != null ? v.dirtyRateMbps() : previous == null ? 0 : previous.dirtyRateMbps(),
                workload,
                v.nonsharable() != null ? Set.copyOf(v.nonsharable()) : previous == null ? Set.of() : previous.nonsharable(),
                v.group() != null ? v.group() : previous == null ? null : previous.group(),
                v.toleratesSlowing() != null ? v.toleratesSlowing() : previous == null ? null : previous.toleratesSlowing());
    }

    static List<Traffic> toTraffic(List<TrafficDto> dtos, String field, Set<String> knownVms, FieldErrors errors) {
        List<Traffic> out = new ArrayList<>();
        Set<List<String>> pairs = new HashSet<>();
        if (dtos == null) {
            return out;
        }
        for (int i = 0; i < dtos.size(); i++) {
            TrafficDto t = dtos.get(i);
            String at = field + "[" + i + "]";
            boolean ok = true;
            if (!knownVms.contains(t.src())) {
                errors.add(at + ".src", "unknown VM '" + t.src() + "'");
                ok = false;
            }
            if (!knownVms.contains(t.dst())) {
                errors.add(at + ".dst", "unknown VM '" + t.dst() + "'");
                ok = false;
            }
            if (t.src().equals(t.dst())) {
                errors.add(at, "a VM does not send traffic to itself");
                ok = false;
            }
            if (ok && !pairs.add(List.of(t.src(), t.dst()))) {
                errors.add(at, "duplicate pair " + t.src() + " → " + t.dst());
                ok = false;
            }
            if (ok) {
                out.add(new Traffic(t.src(), t.dst(), t.mbps()));
            }
        }
        return out;
    }

    private static double sum(List<Vm> vms, ToDoubleFunction<Vm> f) {
        double s = 0;
        for (Vm v : vms) {
            s += f.applyAsDouble(v);
        }
        return s;
    }

    public static ClusterDto toDto(ClusterSnapshot s) {
        List<HostDto> hosts = s.hosts().stream().map(h -> new HostDto(h.name(), capacityDto(h.capacity()), h.cpuUtil(),
                h.memUtil(), h.swapWritesPerS(), h.nicUtil(), h.enabled(), h.availabilityZone(), s.isStale(h.name()),
                s.lastSampleAt(h.name()))).toList();
        List<VmDto> vms = s.vms().stream().map(v -> new VmDto(v.id(), v.host(), v.vcpus(), v.memoryMb(), v.diskGb(),
                v.cpuUtil(), v.memUtil(), v.swapWritesPerS(), v.dirtyRateMbps(), v.workload().wireName(),
                v.nonsharable().stream().sorted().toList(), v.group(), null, v.toleratesSlowing(), null)).toList();
        List<TrafficDto> traffic = s.traffic().stream().map(t -> new TrafficDto(t.src(), t.dst(), t.mbps())).toList();
        List<ServerGroupDto> groups = s.groupPolicies().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new ServerGroupDto(e.getKey(), e.getValue().wireName(),
                        s.groupMembers(e.getKey()).stream().map(Vm::id).sorted().toList())).toList();
        return new ClusterDto(hosts, vms, traffic, groups);
    }

    /** A zone from the wire: empty means unknown. */
    static String blankToNull(String zone) {
        return zone == null || zone.isBlank() ? null : zone.trim();
    }

    static CapacityDto capacityDto(Capacity c) {
        return new CapacityDto(c.vcpus(), c.memoryMb(), c.diskGb(), c.nicMbps());
    }

    /** A host's state for {@code GET /v1/hosts}; {@code detailed} adds samples and VM ids. */
    public static ClusterDtos.HostStateDto hostState(ClusterSnapshot s, Host h, boolean detailed) {
        HostUsage u = s.usage(h.name());
        List<LoadSample> samples = s.samples(h.name());
        ClusterDtos.SampleView last = samples.isEmpty() ? null : view(samples.get(samples.size() - 1));
        ClusterDtos.ForecastDto forecast = new ClusterDtos.ForecastDto(
                Ar1Forecast.next(samples, LoadSample::cpuUtil, h.cpuUtil()),
                Ar1Forecast.next(samples, LoadSample::memUtil, h.memUtil()),
                Ar1Forecast.next(samples, LoadSample::swapWritesPerS, h.swapWritesPerS()),
                Ar1Forecast.next(samples, LoadSample::nicUtil, h.nicUtil()),
                samples.size());
        return new ClusterDtos.HostStateDto(h.name(), capacityDto(h.capacity()), h.cpuUtil(), h.memUtil(),
                h.swapWritesPerS(), h.nicUtil(), h.enabled(),
                new ClusterDtos.UsageDto(u.vcpus(), u.memoryMb(), u.diskGb(), u.vmCount()), last, forecast,
                detailed ? samples.stream().map(ClusterMapper::view).toList() : null,
                detailed ? s.vmsOn(h.name()).stream().map(Vm::id).toList() : null,
                s.isStale(h.name()), s.lastSampleAt(h.name()),
                detailed ? s.migratingIn(h.name()).stream().sorted().toList() : null);
    }

    private static ClusterDtos.SampleView view(LoadSample s) {
        return new ClusterDtos.SampleView(s.at(), s.cpuUtil(), s.memUtil(), s.swapWritesPerS(), s.nicUtil());
    }
}
