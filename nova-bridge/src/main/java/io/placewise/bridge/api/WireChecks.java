package io.placewise.bridge.api;

import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.ClusterDto;
import io.placewise.bridge.api.ClusterDtos.NicTrafficDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import io.placewise.service.http.ApiProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The field checks of the bodies that carry many VMs (a profiler sample, a whole cluster), the same
 * as Bean Validation makes of the DTOs' annotations (same fields, same messages; {@code
 * WireChecksTest} holds the two equal), in plain code for the VMs and traffic: a sample with 20 VMs
 * is the bridge's most frequent request, and cascaded Bean Validation cost it more than everything
 * else the bridge does with it; on a 200,000-VM {@code PUT /v1/cluster} it took seconds (measured:
 * docs/state.md). The hosts of a cluster, few, still go through Bean Validation.
 */
final class WireChecks {
    static final String NOT_NULL = "must not be null";
    static final String NOT_BLANK = "must not be blank";
    static final String AT_LEAST_0 = "must be greater than or equal to 0";
    static final String AT_MOST_1 = "must be less than or equal to 1";
    static final String SIZE_255 = "size must be between 0 and 255";
    static final String SIZE_64 = "size must be between 0 and 64";

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
        if (e.size() > 1) {
            e.sort(Comparator.comparing(Problem.FieldError::field));
        }
        return e;
    }

    static List<Problem.FieldError> check(SampleDto s) {
        List<Problem.FieldError> e = new ArrayList<>(0);
        unit(e, "cpu_util", s.cpuUtil());
        unit(e, "mem_util", s.memUtil());
        atLeast0(e, "swap_writes_per_s", s.swapWritesPerS());
        unit(e, "nic_util", s.nicUtil());
        CapacityDto c = s.capacity();
        if (c != null) {
            if (c.vcpus() == null) {
                e.add(new Problem.FieldError("capacity.vcpus", NOT_NULL));
            } else if (c.vcpus() < 0) {
                e.add(new Problem.FieldError("capacity.vcpus", AT_LEAST_0));
            }
            if (c.memoryMb() == null) {
                e.add(new Problem.FieldError("capacity.memory_mb", NOT_NULL));
            } else if (c.memoryMb() < 0) {
                e.add(new Problem.FieldError("capacity.memory_mb", AT_LEAST_0));
            }
            atLeast0(e, "capacity.disk_gb", c.diskGb());
            atLeast0(e, "capacity.nic_mbps", c.nicMbps());
        }
        vms(e, s.vms());
        traffic(e, s.traffic());
        nicTraffic(e, s.nicTraffic());
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
            if (longer(v.id())) {
                e.add(new Problem.FieldError(at("vms", i, "id"), SIZE_255));
            }
            if (longer(v.host())) {
                e.add(new Problem.FieldError(at("vms", i, "host"), SIZE_255));
            }
            negative(e, v.vcpus(), "vms", i, "vcpus");
            negative(e, v.memoryMb(), "vms", i, "memory_mb");
            negative(e, v.diskGb(), "vms", i, "disk_gb");
            unit(e, v.cpuUtil(), "vms", i, "cpu_util");
            unit(e, v.memUtil(), "vms", i, "mem_util");
            negative(e, v.swapWritesPerS(), "vms", i, "swap_writes_per_s");
            negative(e, v.dirtyRateMbps(), "vms", i, "dirty_rate_mbps");
            if (v.nonsharable() != null) {
                for (int j = 0; j < v.nonsharable().size(); j++) {
                    if (blank(v.nonsharable().get(j))) {
                        e.add(new Problem.FieldError(at("vms", i, "nonsharable") + "[" + j + "]", NOT_BLANK));
                    }
                }
            }
            if (longer(v.group())) {
                e.add(new Problem.FieldError(at("vms", i, "group"), SIZE_255));
            }
            if (v.addresses() != null) {
                for (int j = 0; j < v.addresses().size(); j++) {
                    String a = v.addresses().get(j);
                    if (blank(a)) {
                        e.add(new Problem.FieldError(at("vms", i, "addresses") + "[" + j + "]", NOT_BLANK));
                    }
                    if (a != null && a.length() > 64) {
                        e.add(new Problem.FieldError(at("vms", i, "addresses") + "[" + j + "]", SIZE_64));
                    }
                }
            }
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
            } else {
                negative(e, t.mbps(), "nic_traffic", i, "mbps");
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
            } else if (longer(t.src())) {
                e.add(new Problem.FieldError(at("traffic", i, "src"), SIZE_255));
            }
            if (blank(t.dst())) {
                e.add(new Problem.FieldError(at("traffic", i, "dst"), NOT_BLANK));
            } else if (longer(t.dst())) {
                e.add(new Problem.FieldError(at("traffic", i, "dst"), SIZE_255));
            }
            if (t.mbps() == null) {
                e.add(new Problem.FieldError(at("traffic", i, "mbps"), NOT_NULL));
            } else {
                negative(e, t.mbps(), "traffic", i, "mbps");
            }
        }
    }

    private static String at(String list, int index, String field) {
        return list + "[" + index + "]." + field;
    }

    private static boolean blank(String s) {
        return s == null || s.trim().isEmpty();
    }

    private static boolean longer(String s) {
        return s != null && s.length() > 255;
    }

    private static void unit(List<Problem.FieldError> e, Double d, String list, int i, String field) {
        if (d != null && (d < 0 || d > 1)) {
            e.add(new Problem.FieldError(at(list, i, field), d < 0 ? AT_LEAST_0 : AT_MOST_1));
        }
    }

    private static void negative(List<Problem.FieldError> e, Number n, String list, int i, String field) {
        if (n != null && n.doubleValue() < 0) {
            e.add(new Problem.FieldError(at(list, i, field), AT_LEAST_0));
        }
    }

    private static void unit(List<Problem.FieldError> e, String field, Double d) {
        if (d != null) {
            if (d < 0) {
                e.add(new Problem.FieldError(field, AT_LEAST_0));
            } else if (d > 1) {
                e.add(new Problem.FieldError(field, AT_MOST_1));
            }
        }
    }

    private static void atLeast0(List<Problem.FieldError> e, String field, Number n) {
        if (n != null && n.doubleValue() < 0) {
            e.add(new Problem.FieldError(field, AT_LEAST_0));
        }
    }

}
