package io.placewise.bridge.service;

import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterMapper;
import io.placewise.bridge.api.SampleMapper.Placed;
import io.placewise.bridge.api.SampleMapper.Report;
import io.placewise.model.Capacity;
import io.placewise.model.ClusterEditor;
import io.placewise.model.Host;
import io.placewise.model.LoadSample;
import io.placewise.model.LoadShift;
import io.placewise.model.MoveFence;
import io.placewise.model.Vm;
import io.placewise.service.api.FieldErrors;
import io.placewise.service.http.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one profiler report to its host, the only host it speaks for:
 * <ul>
 * <li>the host's load (fields a report omits keep their values) and window; a report with
 *     {@code capacity} for a host the bridge does not know registers it;</li>
 * <li>when {@code vms} is given, the report is authoritative for the VMs running on its host: the
 *     VMs it lists are placed there (one the bridge had elsewhere has moved; fields it omits keep
 *     their values), and a VM it no longer lists is gone, unless another host reports it migrating
 *     in. A VM listed with {@code "migrating_in": true} is not this host's VM yet;</li>
 * <li>when {@code traffic} is given, it replaces the traffic sent by the VMs the report placed
 *     (or, without {@code vms}, by the host's VMs);</li>
 * <li>a report taken before a migration the bridge saw complete ({@link MoveFence}) does not undo
 *     it: the moved VM stays where it went, and the report's load is corrected by the move.</li>
 * </ul>
 * {@link io.placewise.bridge.api.SampleMapper#parse} checks what needs no cluster state on the request's
 * thread; {@link #apply} runs on the cluster store's writer against the state as it is then.
 */
public final class SampleApplier {
    /** How long a completed migration's fence guards against reports taken before it. */
    public static final Duration FENCE_TTL = Duration.ofMinutes(5);

    private SampleApplier() {
    }

    /**
     * Applies the report to the editor's state.
     *
     * @return the time of the sample (the report's {@code at}, or when it was received)
     * @throws ApiProblem 404 for an unknown host without capacity, 422 listing every problem
     */
    public static Instant apply(ClusterEditor e, Report r, int window) {
        String name = r.host();
        SampleDto dto = r.dto();
        Host known = e.host(name);
        if (known == null && dto.capacity() == null) {
            throw ApiProblem.notFound("unknown host '" + name + "': a sample registers its host only when it carries the "
                    + "host's capacity");
        }
        Capacity cap = known == null ? ClusterMapper.toCapacity(dto.capacity())
                : dto.capacity() != null ? ClusterMapper.mergeCapacity(dto.capacity(), known.capacity()) : known.capacity();
        Instant at = dto.at() != null ? dto.at().truncatedTo(ChronoUnit.MICROS) : r.receivedAt();

        // Moves this host's report may predate: its evidence is whether it still lists (or already lists) the VM.
        Set<String> placedIds = null;
        if (r.placed() != null) {
            placedIds = new HashSet<>();
            for (Placed p : r.placed()) {
                placedIds.add(p.vm().id());
            }
        }
        LoadShift.Delta correction = LoadShift.Delta.NONE;
        List<MoveFence> fences = new ArrayList<>();
        Set<String> leftHere = new HashSet<>();
        Set<String> arrivedHere = new HashSet<>();
        for (MoveFence f : e.fences(name)) {
            if (r.receivedAt().isAfter(f.completedAt().plus(FENCE_TTL))) {
                continue;
            }
            boolean before = placedIds != null ? f.leaving() == placedIds.contains(f.vm()) : at.isBefore(f.completedAt());
            if (before) {
                correction = plus(correction, f.delta());
                fences.add(f);
                (f.leaving() ? leftHere : arrivedHere).add(f.vm());
            } else if (placedIds == null) {
                fences.add(f);
            }
        }

        // The sample's values, corrected by the moves it predates; omitted ones keep the host's.
        Host h = ClusterMapper.mergeHost(known, name, cap,
                dto.cpuUtil() != null ? unit(dto.cpuUtil() + correction.cpu()) : null,
                dto.memUtil() != null ? unit(dto.memUtil() + correction.mem()) : null,
                dto.swapWritesPerS() != null ? Math.max(0, dto.swapWritesPerS() + correction.swapWritesPerS()) : null,
                dto.nicUtil() != null ? unit(dto.nicUtil() + correction.nic()) : null,
                dto.enabled(), null);
        e.putHost(h);
        if (!fences.equals(e.fences(name))) {
            e.setFences(name, fences);
        }

        FieldErrors errors = new FieldErrors();
        Set<String> senders;
        if (r.placed() != null) {
            List<Vm> puts = new ArrayList<>(r.placed().size());
            for (Placed p : r.placed()) {
                if (leftHere.contains(p.vm().id())) {
                    continue;
                }
                Vm here = e.vmOn(name, p.vm().id());
                Vm vm = ClusterMapper.toVm(p.vm(), name, here != null ? here : e.vm(p.vm().id()), "vms[" + p.index() + "]",
                        errors);
                if (vm != null) {
                    puts.add(vm);
                }
            }
            errors.throwIfAny();
            senders = new HashSet<>();
            for (Vm vm : puts) {
                e.putVm(vm);
                senders.add(vm.id());
            }
            for (Vm v : e.vmsOn(name)) {
                if (senders.contains(v.id()) || arrivedHere.contains(v.id()) || r.migratingIn().contains(v.id())) {
                    continue;
                }
                if (e.reportedMigratingInto(v.id()).stream().anyMatch(other -> !other.equals(name))) {
                    continue; // migrating out: still this host's VM until the other host reports it as its own
                }
                e.removeVm(v.id());
            }
            e.setMigratingIn(name, r.migratingIn());
        } else {
            senders = new HashSet<>();
            e.vmsOn(name).forEach(v -> senders.add(v.id()));
        }

        if (dto.traffic() != null) {
            Map<String, Map<String, Double>> bySender = new LinkedHashMap<>();
            senders.forEach(s -> bySender.put(s, new HashMap<>()));
            for (int i = 0; i < dto.traffic().size(); i++) {
                TrafficDto t = dto.traffic().get(i);
                if (leftHere.contains(t.src())) {
                    continue;
                }
                if (!senders.contains(t.src())) {
                    errors.add("traffic[" + i + "].src", "'" + t.src() + "' is not a VM of " + name);
                } else if (!e.hasVm(t.dst())) {
                    errors.add("traffic[" + i + "].dst", "unknown VM '" + t.dst() + "'");
                } else {
                    bySender.get(t.src()).put(t.dst(), t.mbps());
                }
            }
            errors.throwIfAny();
            bySender.forEach((src, to) -> e.setTrafficFrom(name, src, to));
        }

        e.appendSample(name, new LoadSample(at, h.cpuUtil(), h.memUtil(), h.swapWritesPerS(), h.nicUtil()), window);
        e.setLastSampleAt(name, r.receivedAt());
        return at;
    }

    private static LoadShift.Delta plus(LoadShift.Delta a, LoadShift.Delta b) {
        return new LoadShift.Delta(a.cpu() + b.cpu(), a.mem() + b.mem(), a.swapWritesPerS() + b.swapWritesPerS(),
                a.nic() + b.nic());
    }

    private static double unit(double u) {
        return Math.max(0, Math.min(1, u));
    }
}
