package io.placewise.migrator.libvirt;

import io.placewise.migrator.CpuShare;
import io.placewise.migrator.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a domain's vCPU CPU cap straight into its cgroups, for the one moment libvirt cannot:
 * while an outgoing migration holds the domain's job, libvirt refuses scheduler changes ("cannot
 * acquire state change lock", LAB.md), yet seed 003's throttling must change the cap every round.
 * Finds the {@code vcpuN} directories under {@code root} (the cpu controller's mount, e.g.
 * {@code /sys/fs/cgroup/cpu} on v1 or {@code /sys/fs/cgroup} on v2) below a directory named after
 * the domain, as libvirt names them: {@code machine-qemu\x2d3\x2dvm1.scope/libvirt/vcpu0}
 * (systemd) or {@code machine/qemu-3-vm1.libvirt-qemu/vcpu0} (cgroupfs), and writes
 * {@code cpu.cfs_period_us}/{@code cpu.cfs_quota_us} (v1) or {@code cpu.max} (v2).
 */
final class VcpuCgroups {
    private static final Pattern VCPU = Pattern.compile("vcpu\\d+");
    private static final int MAX_DEPTH = 7;
    /** libvirt's "no limit" vcpu_quota (2^44 − 1, VIR_CGROUP_CPU_QUOTA_MAX); -1 means the same. */
    static final long QUOTA_UNLIMITED = 17_592_186_044_415L;

    private final Path root;

    VcpuCgroups(Path root) {
        this.root = root;
    }

    List<Path> vcpuDirs(String domain) {
        String escaped = domain.replace("-", "\\x2d");
        Pattern owner = Pattern.compile("(^|-|\\\\x2d)(" + Pattern.quote(domain) + "|" + Pattern.quote(escaped)
                + ")(\\.|$)");
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            return walk.filter(Files::isDirectory)
                    .filter(p -> VCPU.matcher(p.getFileName().toString()).matches())
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            if (owner.matcher(part.toString()).find()) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new HypervisorException("cannot search cgroups under " + root + ": " + e.getMessage(), e);
        }
    }

    void write(String domain, CpuShare share) {
        List<Path> dirs = vcpuDirs(domain);
        if (dirs.isEmpty()) {
            throw new HypervisorException("no vCPU cgroup of " + domain + " under " + root);
        }
        long period = share.periodUs() > 0 ? share.periodUs() : CpuShare.DEFAULT_PERIOD_US;
        boolean uncapped = share.quotaUs() <= 0 || share.quotaUs() >= QUOTA_UNLIMITED;
        try {
            for (Path dir : dirs) {
                Path v2 = dir.resolve("cpu.max");
                if (Files.exists(v2)) {
                    Files.writeString(v2, (uncapped ? "max" : Long.toString(share.quotaUs())) + " " + period,
                            StandardCharsets.US_ASCII);
                } else {
                    Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(period), StandardCharsets.US_ASCII);
                    Files.writeString(dir.resolve("cpu.cfs_quota_us"), uncapped ? "-1" : Long.toString(share.quotaUs()),
                            StandardCharsets.US_ASCII);
                }
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot write vCPU cgroup of " + domain + ": " + e.getMessage(), e);
        }
    }
}
