package io.placewise.migrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.migrator.CpuShare;
import io.placewise.migrator.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcpuCgroupsTest {
    @TempDir
    Path root;

    private Path vcpu(String... parts) throws IOException {
        Path dir = root.resolve(Path.of("", parts));
        Files.createDirectories(dir);
        return dir;
    }

    @Test
    void writesV1QuotaOfEveryVcpuOfTheRightDomainOnly() throws IOException {
        Path a0 = vcpu("machine", "qemu-3-vm1.libvirt-qemu", "vcpu0");
        Path a1 = vcpu("machine", "qemu-3-vm1.libvirt-qemu", "vcpu1");
        Path other = vcpu("machine", "qemu-4-vm10.libvirt-qemu", "vcpu0");

        new VcpuCgroups(root).write("vm1", new CpuShare(100_000, 40_000));

        assertThat(Files.readString(a0.resolve("cpu.cfs_quota_us"))).isEqualTo("40000");
        assertThat(Files.readString(a1.resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(other.resolve("cpu.cfs_quota_us")).doesNotExist();
    }

    @Test
    void findsSystemdScopesWithEscapedDashesAndWritesV2() throws IOException {
        Path dir = vcpu("machine.slice", "machine-qemu\\x2d7\\x2dweb\\x2d1.scope", "libvirt", "vcpu0");
        Files.writeString(dir.resolve("cpu.max"), "max 100000");

        VcpuCgroups cgroups = new VcpuCgroups(root);
        cgroups.write("web-1", new CpuShare(100_000, 25_000));
        assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("25000 100000");

        cgroups.write("web-1", new CpuShare(100_000, -1));
        assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("max 100000");
    }

    @Test
    void noCgroupIsAnError() {
        assertThatThrownBy(() -> new VcpuCgroups(root).write("ghost", CpuShare.UNLIMITED))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("no vCPU cgroup of ghost");
    }
}
