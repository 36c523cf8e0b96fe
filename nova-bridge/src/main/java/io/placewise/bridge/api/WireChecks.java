package io.placewise.bridge.api;

import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterDtos.NicTrafficDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.api.Limits;
import io.placewise.service.api.StorableTime;
import io.placewise.service.http.ApiProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The field checks of the bodies that carry many VMs (a profiler sample, a whole cluster), the same
 * as Bean Validation makes of the DTOs' annotations (same fields, same messages; {@code
 * WireChecksTest} holds the two equal), in plain code for the VMs and traffic: a sample with 20 VMs
 * is the bridge's most frequent request, and cascaded Bean Validation cost it more than everything
 * else the bridge does with it; on a 200,000-VM {@code PUT /v1/cluster} it took seconds (measured:
 * docs/state.md). The fields of the body itself and the hosts of a cluster, few, still go through Bean
 * Validation; the limits are the DTOs' own ({@link Limits}).
 */
final class WireChecks {
    static final String NOT_NULL = "must not be null";
    static final String NOT_BLANK = "must not be blank";
    static final String AT_LEAST_0 = "must be greater than or equal to 0";
    static final String AT_MOST_1 = "must be less than or equal to 1";
    static final String SIZE_NAME = "size must be between 0 and " + Limits.NAME;
    static final String SIZE_64 = "size must be between 0 and 64";
    static final String SIZE_LIST = "size must be between 0 and " + Limits.NONSHARABLE;
    private static final double MBPS = Double.parseDouble(Limits.MBPS);
    private static final double PER_S = Double.parseDouble(Limits.PER_S);

    private WireChecks() {
    }

    /**
     * @throws ApiProblem 400 without a body, 422 listing every invalid field (sorted by field)
     */
    static SampleDto require(SampleDto s) {
        if (s == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        return throwIfAny(s, check(s));
    }

    /**
     * @throws ApiProblem 400 without a body, 422 listing every invalid field (sorted by field)
     */
    static ClusterDto require(ClusterDto c) {
        if (c == null) {
            throw ApiProblem.badRequest("a JSON body is required");
        }
        return throwIfAny(c, check(c));
    }

    private static <T> T throwIfAny(T body, List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors.size() + " invalid field(s); nothing was changed", errors);
        }
        return body;
    }

    static List<Problem.FieldError> check(ClusterDto c) {
        // The hosts (and the body's other fields) by Bean Validation; the VMs and traffic in plain code.
        List<Problem.FieldError> e = new ArrayList<>(RequestValidator.check(new ClusterDto(c.hosts(), null, null, c.groups())));
        vms(e, c.vms());
        traffic(e, c.traffic());
        return sorted(e);
    }

    static List<Problem.FieldError> check(SampleDto s) {
        // The report's own fields (load, capacity, time) by Bean Validation, which names what is wrong, but
        // only when one of them may be: nearly every agent's report is certainly valid, and the validator's
        // reflective walk cost more than the rest of the checks (WireChecksTest holds the shortcut to it).
        List<Problem.FieldError> e = certainlyValidFields(s) ? new ArrayList<>()
                : new ArrayList<>(RequestValidator.check(new SampleDto(s.at(), s.cpuUtil(), s.memUtil(),
                        s.swapWritesPerS(), s.nicUtil(), s.capacity(), s.enabled(), null, null, null)));
        vms(e, s.vms());
        traffic(e, s.traffic());
        nicTraffic(e, s.nicTraffic());
        return sorted(e);
    }

    /**
     * Whether the report's own fields are within the DTO's bounds for sure (NaN or anything unusual: not
     * sure, so Bean Validation decides). True implies Bean Validation finds nothing in them.
     */
    static boolean certainlyValidFields(SampleDto s) {
        Instant at = s.at();
        ClusterDtos.CapacityDto c = s.capacity();
        return fraction(s.cpuUtil()) && fraction(s.memUtil()) && fraction(s.nicUtil())
                && (s.swapWritesPerS() == null || (s.swapWritesPerS() >= 0 && s.swapWritesPerS() <= PER_S))
                && (at == null || (!at.isBefore(StorableTime.MIN) && !at.isAfter(StorableTime.MAX)))
                && (c == null || (c.vcpus() != null && c.vcpus() >= 0 && c.vcpus() <= Limits.HOST_VCPUS
                        && c.memoryMb() != null && c.memoryMb() >= 0 && c.memoryMb() <= Limits.SIZE
                        && (c.diskGb() == null || (c.diskGb() >= 0 && c.diskGb() <= Limits.SIZE))
                        && (c.nicMbps() == null || (c.nicMbps() >= 0 && c.nicMbps() <= MBPS))));
    }

    private static boolean fraction(Double d) {
        return d == null || (d >= 0 && d <= 1);
    }

    private static List<Problem.FieldError> sorted(List<Problem.FieldError> e) {
        if (e.size() > 1) {
            e.sort(Comparator.comparing(Problem.FieldError::field));
        }
        return e;
    }

    private static void vms(List<Problem.FieldError> e, List<VmDto> vms) {
        if (vms == null) {
            return;
        }
        for (int i = 0; i < vms.size(); i++) {
            VmDto v = vms.get(i);
            if (v == null) {
                e.add(new Problem.FieldError("vms[" + i + "]", NOT_NULL));
                continue;
            }
            // Field paths are built only for a field in error: most bodies have none.
            if (blank(v.id())) {
                e.add(new Problem.FieldError(at("vms", i, "id"), NOT_BLANK));
            }
            name(e, v.id(), "vms", i, "id");
            name(e, v.host(), "vms", i, "host");
            range(e, v.vcpus(), Limits.VM_VCPUS, "vms", i, "vcpus");
            range(e, v.memoryMb(), Limits.SIZE, "vms", i, "memory_mb");
            range(e, v.diskGb(), Limits.SIZE, "vms", i, "disk_gb");
            unit(e, v.cpuUtil(), "vms", i, "cpu_util");
            unit(e, v.memUtil(), "vms", i, "mem_util");
            range(e, v.swapWritesPerS(), PER_S, Limits.PER_S, "vms", i, "swap_writes_per_s");
            range(e, v.dirtyRateMbps(), MBPS, Limits.MBPS, "vms", i, "dirty_rate_mbps");
            name(e, v.workload(), "vms", i, "workload");
            names(e, v.nonsharable(), Limits.NAME, SIZE_NAME, "vms", i, "nonsharable");
            name(e, v.group(), "vms", i, "group");
            names(e, v.addresses(), 64, SIZE_64, "vms", i, "addresses");
        }
    }

    private static void nicTraffic(List<Problem.FieldError> e, List<NicTrafficDto> traffic) {
        if (traffic == null) {
            return;
        }
        for (int i = 0; i < traffic.size(); i++) {
            NicTrafficDto t = traffic.get(i);
            if (t == null) {
                e.add(new Problem.FieldError("nic_traffic[" + i + "]", NOT_NULL));
                continue;
            }
            if (blank(t.src())) {
                e.add(new Problem.FieldError(at("nic_traffic", i, "src"), NOT_BLANK));
            }
            if (blank(t.peerAddress())) {
                e.add(new Problem.FieldError(at("nic_traffic", i, "peer_address"), NOT_BLANK));
            }
            if (t.peerAddress() != null && t.peerAddress().length() > 64) {
                e.add(new Problem.FieldError(at("nic_traffic", i, "peer_address"), SIZE_64));
            }
            if (t.mbps() == null) {
                e.add(new Problem.FieldError(at("nic_traffic", i, "mbps"), NOT_NULL));
            } else if (t.mbps() < 0) {
                e.add(new Problem.FieldError(at("nic_traffic", i, "mbps"), AT_LEAST_0));
            }
        }
    }

    private static void traffic(List<Problem.FieldError> e, List<TrafficDto> traffic) {
        if (traffic == null) {
            return;
        }
        for (int i = 0; i < traffic.size(); i++) {
            TrafficDto t = traffic.get(i);
            if (t == null) {
                e.add(new Problem.FieldError("traffic[" + i + "]", NOT_NULL));
                continue;
            }
            if (blank(t.src())) {
                e.add(new Problem.FieldError(at("traffic", i, "src"), NOT_BLANK));
            }
            name(e, t.src(), "traffic", i, "src");
            if (blank(t.dst())) {
                e.add(new Problem.FieldError(at("traffic", i, "dst"), NOT_BLANK));
            }
            name(e, t.dst(), "traffic", i, "dst");
            if (t.mbps() == null) {
                e.add(new Problem.FieldError(at("traffic", i, "mbps"), NOT_NULL));
            } else {
                range(e, t.mbps(), MBPS, Limits.MBPS, "traffic", i, "mbps");
            }
        }
    }

    private static String at(String list, int index, String field) {
        return list + "[" + index + "]." + field;
    }

    private static boolean blank(String s) {
        return s == null || s.trim().isEmpty();
    }

    /** {@code @Size(max = Limits.NAME)}. */
    private static void name(List<Problem.FieldError> e, String s, String list, int i, String field) {
        if (s != null && s.length() > Limits.NAME) {
            e.add(new Problem.FieldError(at(list, i, field), SIZE_NAME));
        }
    }

    /** {@code @Size(max = Limits.NONSHARABLE) List<@NotBlank @Size(max = elementMax) String>}. */
    private static void names(List<Problem.FieldError> e, List<String> names, int elementMax, String elementMessage,
                              String list, int i, String field) {
        if (names == null) {
            return;
        }
        if (names.size() > Limits.NONSHARABLE) {
            e.add(new Problem.FieldError(at(list, i, field), SIZE_LIST));
        }
        for (int j = 0; j < names.size(); j++) {
            String n = names.get(j);
            if (blank(n)) {
                e.add(new Problem.FieldError(at(list, i, field) + "[" + j + "]", NOT_BLANK));
            }
            if (n != null && n.length() > elementMax) {
                e.add(new Problem.FieldError(at(list, i, field) + "[" + j + "]", elementMessage));
            }
        }
    }

    private static void unit(List<Problem.FieldError> e, Double d, String list, int i, String field) {
        if (d != null && (d < 0 || d > 1)) {
            e.add(new Problem.FieldError(at(list, i, field), d < 0 ? AT_LEAST_0 : AT_MOST_1));
        }
    }

    /** {@code @PositiveOrZero @Max(max)}. */
    private static void range(List<Problem.FieldError> e, Number n, long max, String list, int i, String field) {
        if (n == null) {
            return;
        }
        if (n.longValue() < 0) {
            e.add(new Problem.FieldError(at(list, i, field), AT_LEAST_0));
        }
        if (n.longValue() > max) {
            e.add(new Problem.FieldError(at(list, i, field), "must be less than or equal to " + max));
        }
    }

    /** {@code @PositiveOrZero @DecimalMax(max)}. */
    private static void range(List<Problem.FieldError> e, Double d, double max, String maxText, String list, int i,
                              String field) {
        if (d == null) {
            return;
        }
        if (d < 0) {
            e.add(new Problem.FieldError(at(list, i, field), AT_LEAST_0));
        }
        if (d > max) {
            e.add(new Problem.FieldError(at(list, i, field), "must be less than or equal to " + maxText));
        }
    }
}
