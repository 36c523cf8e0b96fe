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
