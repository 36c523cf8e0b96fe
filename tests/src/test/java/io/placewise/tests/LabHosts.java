package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.service.config.IniFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two-host libvirt lab (tests/lab, LAB.md) as the tests module's lab suites use it: its scripts,
 * virsh, the shipped configuration files with a test's overrides, and a migrator agent started as a
 * process of a lab host ({@code tests/lab/in-host.sh}: the host's network namespace and its cgroups).
 */
final class LabHosts {
    static final Path HOME = Path.of(System.getProperty("placewise.home", "..")).toAbsolutePath().normalize();
    static final Path LAB = HOME.resolve("tests/lab");
    static final String URI_A = "qemu+tcp://10.77.0.1/system";
    static final String URI_B = "qemu+tcp://10.77.0.2/system";

    private LabHosts() {
    }

    static void script(String name, String... args) throws Exception {
        script(name, Map.of(), args);
    }

    /** Runs tests/lab/NAME with {@code env}; its output goes to target/lab-logs/NAME.log. */
    static void script(String name, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", LAB.resolve(name).toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createDirectories(Path.of("target", "lab-logs")).resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(name + " " + String.join(" ", args) + " failed; see " + log.toAbsolutePath());
        }
    }

    /** virsh's output (stdout and stderr). */
    static String virsh(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    /** The shipped etc/{@code name} with {@code overrides} (section → key → value) written to {@code to}. */
    static Path shippedConfig(String name, Map<String, Map<String, String>> overrides, Path to) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        IniFile.read(HOME.resolve("etc").resolve(name)).forEach((s, kv) -> sections.put(s, new LinkedHashMap<>(kv)));
        overrides.forEach((s, kv) -> sections.computeIfAbsent(s, k -> new LinkedHashMap<>()).putAll(kv));
        StringBuilder ini = new StringBuilder();
        sections.forEach((s, kv) -> {
            ini.append('[').append(s).append("]\n");
            kv.forEach((k, v) -> ini.append(k).append(" = ").append(v).append('\n'));
        });
        return Files.writeString(to, ini);
    }

    /**
     * The packaged migrator agent on {@code conf}, as a process of lab host {@code h} (A or B); its log is
     * appended to {@code log}.
     */
    static Process agent(String h, Path conf, Path log) throws IOException {
        Path jar = HOME.resolve("migrator/target/placewise-migrator.jar");
        assertThat(jar).as("mvn package builds the agent's jar").exists();
        return new ProcessBuilder("bash", LAB.resolve("in-host.sh").toString(), h,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString(),
                "--config-file", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Runs {@code cmd} in the root namespace; its output (stdout and stderr), or an AssertionError when it fails. */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    /** {@code cmd} in lab host {@code h}'s network namespace (A or B). */
    static String inNetns(String h, String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", "lab" + h));
        all.addAll(List.of(cmd));
        return run(all.toArray(String[]::new));
    }

    /**
     * A slow migration network out of host {@code h}: what its QEMU sends to a destination's migration
     * ports (libvirt's 49152-49215) leaves its NIC at {@code mbit} Mbit/s (an HTB class on its veth);
     * everything else, the agents' HTTP and libvirt's own connection included, is not limited.
     */
    static void slowMigrations(String h, int mbit) throws Exception {
        String dev = "lab" + h + "-ns";
        fastMigrations(h);
        inNetns(h, "tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "20");
        inNetns(h, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:10", "htb", "rate", mbit + "mbit",
                "ceil", mbit + "mbit");
        inNetns(h, "tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:20", "htb", "rate", "10gbit");
        // 49152 = 0xc000; the mask 0xffc0 covers 49152-49215
        inNetns(h, "tc", "filter", "add", "dev", dev, "protocol", "ip", "parent", "1:", "prio", "1", "u32", "match", "ip",
                "dport", "49152", "0xffc0", "flowid", "1:10");
    }

    static void fastMigrations(String h) throws Exception {
        try {
            inNetns(h, "tc", "qdisc", "del", "dev", "lab" + h + "-ns", "root");
        } catch (AssertionError none) {
            // no qdisc of ours there
        }
    }

    /**
     * A destination that stops answering migrations from a peer: host {@code h}'s firewall (nftables, in
     * its network namespace) drops what arrives from {@code fromIp} for libvirt (16509) and the migration
     * ports (49152-49215). The tests' own virsh (from the lab bridge's address) still reaches it.
     */
    static void blockMigrationsTo(String h, String fromIp) throws Exception {
        unblockMigrationsTo(h);
        inNetns(h, "nft", "add", "table", "inet", "placewise_block");
        inNetns(h, "nft", "add", "chain", "inet", "placewise_block", "input",
                "{ type filter hook input priority 0 ; policy accept ; }");
        inNetns(h, "nft", "add", "rule", "inet", "placewise_block", "input", "ip", "saddr", fromIp, "tcp", "dport",
                "{ 16509, 49152-49215 }", "counter", "drop");
    }

    static void unblockMigrationsTo(String h) throws Exception {
        try {
            inNetns(h, "nft", "delete", "table", "inet", "placewise_block");
        } catch (AssertionError none) {
            // not blocked
        }
    }

    /** Whether libvirt on {@code uri} has a job (a migration) running on {@code domain}. */
    static boolean hasJob(String uri, String domain) throws Exception {
        String out = virsh("-c", uri, "domjobinfo", domain);
        return out.contains("Job type:") && !out.contains("None");
    }

    /** {@code domjobinfo}'s "Memory processed" of the running job, in MiB (0 when none). */
    static double processedMib(String uri, String domain) throws Exception {
        for (String line : virsh("-c", uri, "domjobinfo", domain).split("\n")) {
            String[] kv = line.split(":", 2);
            if (kv.length == 2 && kv[0].trim().equals("Memory processed")) {
                String[] v = kv[1].trim().split("\\s+");
                double n = Double.parseDouble(v[0]);
                return switch (v.length > 1 ? v[1] : "MiB") {
                    case "KiB" -> n / 1024;
                    case "GiB" -> n * 1024;
                    case "B" -> n / 1024 / 1024;
                    default -> n;
                };
            }
        }
        return 0;
    }

    /** The domain's state on {@code uri} ({@code running}, {@code paused}, ...), or "absent". */
    static String state(String uri, String domain) throws Exception {
        String out = virsh("-c", uri, "domstate", domain).trim();
        return out.startsWith("error") ? "absent" : out;
    }

    /** libvirt's {@code vcpu_quota} of the domain ({@code virsh schedinfo}). */
    static String vcpuQuota(String uri, String domain) throws Exception {
        for (String line : virsh("-c", uri, "schedinfo", domain).split("\n")) {
            if (line.startsWith("vcpu_quota")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    /** The kernel's CFS quota of the guest's vCPU cgroup on host {@code h} (readable while a job holds libvirt's lock). */
    static String cgroupQuota(String h, String domain) throws IOException {
        Path machine = Path.of("/sys/fs/cgroup/cpu/lab" + h + "/machine");
        try (var dirs = Files.list(machine)) {
            Path vm = dirs.filter(d -> d.getFileName().toString().endsWith("-" + domain + ".libvirt-qemu")).findFirst()
                    .orElseThrow(() -> new AssertionError("no cgroup of " + domain + " under " + machine));
            return Files.readString(vm.resolve("vcpu0").resolve("cpu.cfs_quota_us")).trim();
        }
    }

    /** Every domain on both lab hosts destroyed and undefined. */
    static void destroyAllGuests() throws Exception {
        for (String uri : List.of(URI_A, URI_B)) {
            for (String name : virsh("-c", uri, "list", "--all", "--name").split("\n")) {
                if (!name.isBlank()) {
                    virsh("-c", uri, "destroy", name.trim());
                    virsh("-c", uri, "undefine", name.trim());
                }
            }
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
