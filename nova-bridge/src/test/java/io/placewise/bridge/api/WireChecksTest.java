package io.placewise.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.bridge.api.ClusterDtos.CapacityDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import io.placewise.service.api.Problem;
import io.placewise.service.api.RequestValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plain-code checks of sample and cluster bodies say exactly what Bean Validation says of the
 * DTOs' annotations, for valid and invalid bodies alike: whoever changes an annotation finds out here.
 */
class WireChecksTest {
    private static final Comparator<Problem.FieldError> ORDER =
            Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message);

    @Test
    void sameErrorsAsBeanValidationOnRandomBodies() {
        Random rnd = new Random(7);
        int invalid = 0;
        for (int i = 0; i < 3000; i++) {
            SampleDto dto = body(rnd);
            List<Problem.FieldError> expected = new ArrayList<>(RequestValidator.check(dto).stream()
                    .map(f -> new Problem.FieldError(f.field(), withoutExpression(f.message()))).toList());
            List<Problem.FieldError> actual = new ArrayList<>(WireChecks.check(dto));
            expected.sort(ORDER);
            actual.sort(ORDER);
            assertThat(actual).as(dto.toString()).isEqualTo(expected);
            invalid += expected.isEmpty() ? 0 : 1;
        }
        // Both kinds of body were tried, most of them with something wrong.
        assertThat(invalid).isBetween(1000, 2990);
    }

    @Test
    void aReportCalledCertainlyValidHasNothingBeanValidationWouldReject() {
        Random rnd = new Random(13);
        int shortcut = 0;
        for (int i = 0; i < 3000; i++) {
            SampleDto d = body(rnd);
            SampleDto own = new SampleDto(d.at(), d.cpuUtil(), d.memUtil(), d.swapWritesPerS(), d.nicUtil(), d.capacity(),
                    d.enabled(), null, null, null);
            if (WireChecks.certainlyValidFields(d)) {
                shortcut++;
                assertThat(RequestValidator.check(own)).as(own.toString()).isEmpty();
            }
        }
        // The shortcut was taken for some bodies and refused for others.
        assertThat(shortcut).isBetween(100, 2900);
    }

    @Test
    void sameErrorsAsBeanValidationOnRandomClusters() {
        Random rnd = new Random(11);
        int invalid = 0;
        for (int i = 0; i < 2000; i++) {
            SampleDto s = body(rnd);
            List<ClusterDtos.HostDto> hosts = rnd.nextInt(15) == 0 ? null : new ArrayList<>();
            for (int h = 0; hosts != null && h < rnd.nextInt(3); h++) {
                hosts.add(rnd.nextInt(15) == 0 ? null : new ClusterDtos.HostDto(text(rnd), s.capacity(), unit(rnd), unit(rnd),
                        nonNegative(rnd), unit(rnd), null));
            }
            List<ClusterDtos.ServerGroupDto> groups = rnd.nextInt(3) == 0 ? List.of(new ClusterDtos.ServerGroupDto(text(rnd),
                    rnd.nextBoolean() ? "anti-affinity" : " ", java.util.Arrays.asList("vm-1", rnd.nextBoolean() ? "" : "vm-2")))
                    : null;
            ClusterDtos.ClusterDto dto = new ClusterDtos.ClusterDto(hosts, s.vms(), s.traffic(), groups);
            List<Problem.FieldError> expected = new ArrayList<>(RequestValidator.check(dto).stream()
                    .map(f -> new Problem.FieldError(f.field(), withoutExpression(f.message()))).toList());
            List<Problem.FieldError> actual = new ArrayList<>(WireChecks.check(dto).stream()
                    .map(f -> new Problem.FieldError(f.field(), withoutExpression(f.message()))).toList());
            expected.sort(ORDER);
            actual.sort(ORDER);
            assertThat(actual).as(dto.toString()).isEqualTo(expected);
            invalid += expected.isEmpty() ? 0 : 1;
        }
        assertThat(invalid).isBetween(500, 1990);
    }

    /**
     * Bean Validation's parameter-only interpolator leaves {@code @DecimalMin}/{@code @DecimalMax}'s EL
     * expression in the message ("must be less than ${inclusive == true ? 'or equal to ' : ''}1"); the
     * plain checks say what it means.
     */
    static String withoutExpression(String message) {
        return message.replace("${inclusive == true ? 'or equal to ' : ''}", "or equal to ");
    }

    private static Double unit(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> null;
            case 1 -> -0.5;
            case 2 -> 1.5;
            case 3 -> 1.0;
            case 4 -> -0.0;
            default -> r.nextDouble();
        };
    }

    private static Double nonNegative(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> -1.0;
            case 2 -> 2e9; // over every rate limit (Limits.MBPS, Limits.PER_S)
            case 3 -> 5e6; // over none
            default -> r.nextDouble() * 100;
        };
    }

    private static String text(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "   ";
            case 3 -> "x".repeat(256);
            case 4 -> "y".repeat(255);
            default -> "vm-" + r.nextInt(100);
        };
    }

    private static Long count(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> -4L;
            case 2 -> 5000L; // over a VM's vCPU limit
            case 3 -> (1L << 40) + 1; // over every size limit
            default -> (long) r.nextInt(64);
        };
    }

    static SampleDto body(Random r) {
        CapacityDto cap = r.nextInt(3) == 0 ? null : new CapacityDto(r.nextInt(8) == 0 ? null : r.nextInt(10) - 1,
                count(r), count(r), nonNegative(r));
        List<VmDto> vms = null;
        if (r.nextBoolean()) {
            vms = new ArrayList<>();
            for (int i = 0; i < r.nextInt(4); i++) {
                if (r.nextInt(20) == 0) {
                    vms.add(null);
                    continue;
                }
                Long vcpus = count(r);
                vms.add(new VmDto(text(r), r.nextInt(5) == 0 ? text(r) : null, vcpus == null ? null : vcpus.intValue(), count(r),
                        count(r), unit(r), unit(r), nonNegative(r), nonNegative(r), r.nextBoolean() ? "web" : null,
                        r.nextInt(4) == 0 ? java.util.Arrays.asList("disk", r.nextInt(3) == 0 ? " " : "llc",
                                r.nextInt(5) == 0 ? null : "nic", r.nextInt(6) == 0 ? "z".repeat(256) : "gpu")
                                : r.nextInt(20) == 0 ? java.util.Collections.nCopies(65, "r") : null,
                        r.nextInt(4) == 0 ? text(r) : null,
                        r.nextInt(4) == 0 ? java.util.Arrays.asList("10.0.0." + r.nextInt(9), r.nextInt(4) == 0 ? "" : "fe80::1",
                                r.nextInt(6) == 0 ? "a".repeat(65) : "10.1.1.1") : null,
                        r.nextInt(3) == 0 ? Boolean.FALSE : null, r.nextBoolean() ? Boolean.TRUE : null));
            }
        }
        List<TrafficDto> traffic = null;
        if (r.nextBoolean()) {
            traffic = new ArrayList<>();
            for (int i = 0; i < r.nextInt(4); i++) {
                traffic.add(r.nextInt(20) == 0 ? null : new TrafficDto(text(r), text(r), nonNegative(r)));
            }
        }
        List<ClusterDtos.NicTrafficDto> nic = null;
        if (r.nextInt(3) == 0) {
            nic = new ArrayList<>();
            for (int i = 0; i < r.nextInt(3); i++) {
                nic.add(r.nextInt(20) == 0 ? null : new ClusterDtos.NicTrafficDto(text(r),
                        r.nextInt(5) == 0 ? "b".repeat(65) : r.nextInt(5) == 0 ? " " : "10.0.0.9", nonNegative(r)));
            }
        }
        return new SampleDto(r.nextBoolean() ? Instant.now() : null, unit(r), unit(r), nonNegative(r), unit(r), cap,
                r.nextBoolean() ? Boolean.TRUE : null, vms, traffic, nic);
    }
}
