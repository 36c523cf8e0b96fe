package io.placewise.migrator.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two-host lab of tests/lab (LAB.md, tests/lab/README.md) as the lab suite uses it: its
 * scripts, {@code virsh} for independent checks, and the guests' console logs.
 */
final class Lab {
    static final Path HOME = Path.of(System.getProperty("placewise.home", "..")).toAbsolutePath().normalize();
    static final Path DIR = HOME.resolve("tests/lab");
    static final String URI_A = "qemu+tcp://10.77.0.1/system";
    static final String URI_B = "qemu+tcp://10.77.0.2/system";

    private Lab() {
    }

    /** Whether the lab bridge carries 10.77.0.254/24; never talk to 10.77.0.x otherwise (README). */
    static boolean isUp() {
        return run(List.of("ip", "-o", "-4", "addr", "show", "dev", "labbr0"), 10).contains(" 10.77.0.254/24 ");
    }

    /** Runs a lab script; its output goes to target/lab-logs. Fails the test when it fails. */
    static void script(String name, String... args) {
        script(java.util.Map.of(), name, args);
    }

    /** ... with extra environment variables (e.g. define-guest.sh's GUEST_BALLOON). */
    static void script(java.util.Map<String, String> env, String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", DIR.resolve(name).toString()));
        cmd.addAll(List.of(args));
        try {
            Path logs = Files.createDirectories(Path.of("target", "lab-logs"));
            Path log = logs.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(name + " did not finish in 600 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(name + " " + String.join(" ", args) + " failed (" + p.exitValue() + "); see "
                        + log.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String virsh(String uri, String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        cmd.addAll(List.of(args));
        return run(cmd, 60).trim();
    }

    static String state(String uri, String domain) {
        return virsh(uri, "domstate", domain);
    }

    /** {@code vcpu_quota} as libvirt reports it (it reads the vCPU cgroups of a running domain). */
    static String vcpuQuota(String uri, String domain) {
        for (String line : virsh(uri, "schedinfo", domain).split("\n")) {
            if (line.startsWith("vcpu_quota")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "?";
    }

    static Path console(String domain) {
        return DIR.resolve("work").resolve(domain + ".console.log");
    }

    static String consoleText(String domain) {
        try {
            return Files.readString(console(domain), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    static long heartbeats(String domain) {
        return consoleText(domain).lines().filter(l -> l.contains("MEMWRITER hb")).count();
    }

    /** The guest's own write rate (memwriter's heartbeats), MiB/s: the median of the last {@code n}. */
    static double guestWriteRateMibs(String domain, int n) {
        List<Double> rates = new ArrayList<>();
        for (String line : consoleText(domain).lines().filter(l -> l.contains("MEMWRITER hb")).toList()) {
            int at = line.indexOf("rate_mibs=");
            if (at >= 0) {
                rates.add(Double.parseDouble(line.substring(at + 10).split("\\s+")[0]));
            }
        }
        List<Double> last = new ArrayList<>(rates.subList(Math.max(0, rates.size() - n), rates.size()));
        last.sort(Double::compare);
        return last.isEmpty() ? 0 : last.get(last.size() / 2);
    }

    /** One field of {@code virsh dommemstat} (KiB), -1 when absent. */
    static long memstat(String uri, String domain, String field) {
        for (String line : virsh(uri, "dommemstat", domain).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(field)) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    /** Whether the host has a migration job for the domain ({@code virsh domjobinfo}: not "None"). */
    static boolean hasJob(String uri, String domain) {
        String out = virsh(uri, "domjobinfo", domain);
        return out.contains("Job type:") && !out.contains("None");
    }

    /**
     * The vCPU cgroup's CFS quota of a running guest on host X, read from the kernel: libvirt's
     * schedinfo would wait for the job lock while a migration holds it.
     */
    static String cgroupQuota(String host, String domain) {
        Path machine = Path.of("/sys/fs/cgroup/cpu/lab" + host + "/machine");
        try (var dirs = Files.list(machine)) {
            Path vm = dirs.filter(d -> d.getFileName().toString().endsWith("-" + domain + ".libvirt-qemu")).findFirst()
                    .orElseThrow(() -> new AssertionError("no cgroup of " + domain + " under " + machine));
            return Files.readString(vm.resolve("vcpu0").resolve("cpu.cfs_quota_us")).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot read the cgroup of " + domain, e);
        }
    }

    /**
     * Cuts host X off the lab network (its veth's bridge end down): packets to it go nowhere, as
     * when a destination's link or switch port dies. {@link #reconnect} undoes it.
     */
    static void disconnect(String host) {
        run(List.of("ip", "link", "set", "lab" + host + "-h", "down"), 10);
    }

    static void reconnect(String host) {
        run(List.of("ip", "link", "set", "lab" + host + "-h", "up"), 10);
    }

    static void destroy(String domain) {
        for (String uri : List.of(URI_A, URI_B)) {
            virsh(uri, "destroy", domain);
            virsh(uri, "undefine", domain);
        }
    }

    private static String run(List<String> cmd, int timeoutS) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(timeoutS, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
