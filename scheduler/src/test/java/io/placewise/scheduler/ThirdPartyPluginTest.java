package io.placewise.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy in a jar Placewise has never seen is found through ServiceLoader and runs. */
public class ThirdPartyPluginTest {
    static final String SOURCE = """
            package com.example.acme;
            import io.placewise.plugin.*;
            public final class OddHostsOnlyFilter implements HostFilter {
                public String description() { return "Acme: only hosts whose name ends in an odd digit"; }
                public HostCheck prepare(PlacementContext c, PolicyParams p) {
                    return h -> (h.name().charAt(h.name().length() - 1) - '0') % 2 == 1
                            ? Verdict.pass() : Verdict.reject("Acme wants odd hosts");
                }
            }
            """;

    /** Compiles the plugin and packs it with its services file, as a vendor would ship it. */
    public static Path buildPluginJar(Path dir) throws Exception {
        Path src = dir.resolve("src/com/example/acme/OddHostsOnlyFilter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).isZero();
        Path jar = dir.resolve("acme-policies.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("com/example/acme/OddHostsOnlyFilter.class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/acme/OddHostsOnlyFilter.class")));
            out.putNextEntry(new JarEntry("META-INF/services/io.placewise.plugin.HostFilter"));
            out.write("com.example.acme.OddHostsOnlyFilter\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aDroppedInJarAddsAFilter(@TempDir Path dir) throws Exception {
        Path jar = buildPluginJar(dir);
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            PolicyCatalog catalog = PolicyCatalog.discover(loader);
            assertThat(catalog.filters()).containsKey("OddHostsOnlyFilter");

            PolicySet set = PolicySet.configure(catalog, Map.of(), List.of(), Map.of());
            var three = Fixtures.cluster(Fixtures.host("pm1", 0.5), Fixtures.host("pm2", 0.1), Fixtures.host("pm3", 0.9));
            PlacementResult r = new PlacementPipeline().select(Fixtures.request(three), set);

            assertThat(r.passed()).containsExactly("pm1", "pm3");
            assertThat(r.rejected()).containsExactly(new Rejection("pm2", "OddHostsOnlyFilter", "Acme wants odd hosts"));
        }
    }
}
