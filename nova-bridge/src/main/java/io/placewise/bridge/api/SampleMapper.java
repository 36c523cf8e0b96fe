package io.placewise.bridge.api;

import io.placewise.service.api.RequestValidator;
import io.placewise.service.api.FieldErrors;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.model.ClusterSnapshot;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.Traffic;
import io.placewise.model.Vm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one profiler report to the cluster: the host's load; when {@code vms} is given, the host
 * runs exactly those VMs (a VM reported elsewhere before has moved here; fields a report omits keep
 * their values); when {@code traffic} is given, it replaces the traffic sent by those VMs.
 */
public final class SampleMapper {
    private SampleMapper() {
    }

    /** The checked report: the sample for the window and the state change it implies. */
    public record Report(LoadSample sample, ClusterSnapshot after) {
    }

    /**
     * @throws io.placewise.service.http.ApiProblem 422 listing every problem
     */
    public static Report apply(ClusterSnapshot before, Host host, SampleDto dto) {
        RequestValidator.require(dto);
        FieldErrors errors = new FieldErrors();
        Host h = new Host(host.name(),
                dto.capacity() != null ? ClusterMapper.mergeCapacity(dto.capacity(), host.capacity()) : host.capacity(),
                dto.cpuUtil() != null ? dto.cpuUtil() : host.cpuUtil(),
                dto.memUtil() != null ? dto.memUtil() : host.memUtil(),
                dto.swapWritesPerS() != null ? dto.swapWritesPerS() : host.swapWritesPerS(),
                dto.nicUtil() != null ? dto.nicUtil() : host.nicUtil(),
                dto.enabled() != null ? dto.enabled() : host.enabled(), host.availabilityZone());

        Map<String, Vm> vms = new LinkedHashMap<>();
        before.vms().forEach(v -> vms.put(v.id(), v));
        Set<String> reported = new HashSet<>();
        if (dto.vms() != null) {
            vms.values().removeIf(v -> v.host().equals(host.name()));
            for (int i = 0; i < dto.vms().size(); i++) {
                VmDto v = dto.vms().get(i);
                String at = "vms[" + i + "]";
                if (!reported.add(v.id())) {
                    errors.add(at + ".id", "duplicate VM '" + v.id() + "'");
                    continue;
                }
                if (v.host() != null && !v.host().equals(host.name())) {
                    errors.add(at + ".host", "a report of " + host.name() + " cannot place a VM on " + v.host());
                    continue;
                }
                Vm vm = ClusterMapper.toVm(v, host.name(), before.vm(v.id()), at, errors);
                if (vm != null) {
                    vms.put(vm.id(), vm);
                }
            }
        }
        List<Traffic> traffic = new ArrayList<>(before.traffic());
        if (dto.traffic() != null) {
            Set<String> senders = reported.isEmpty()
                    ? new HashSet<>(before.vmsOn(host.name()).stream().map(Vm::id).toList()) : reported;
            List<Traffic> fresh = ClusterMapper.toTraffic(dto.traffic(), "traffic", vms.keySet(), errors);
            for (int i = 0; i < fresh.size(); i++) {
                if (!senders.contains(fresh.get(i).src())) {
                    errors.add("traffic[" + i + "].src", "'" + fresh.get(i).src() + "' is not a VM of " + host.name());
                }
            }
            traffic.removeIf(t -> senders.contains(t.src()));
            traffic.addAll(fresh);
        }
        errors.throwIfAny();
        // Traffic of VMs that no longer exist goes with them.
        traffic.removeIf(t -> !vms.containsKey(t.src()) || !vms.containsKey(t.dst()));
        List<Host> hosts = before.hosts().stream().map(x -> x.name().equals(host.name()) ? h : x).toList();
        ClusterSnapshot after = before.with(hosts, vms.values(), traffic);
        Instant at = dto.at() != null ? dto.at() : Instant.now();
        return new Report(new LoadSample(at, h.cpuUtil(), h.memUtil(), h.swapWritesPerS(), h.nicUtil()), after);
    }
}
