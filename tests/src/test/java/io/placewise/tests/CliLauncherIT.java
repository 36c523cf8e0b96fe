package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/placewise} as an operator runs it: the packaged jar, URL and token from the environment, exit codes. */
class CliLauncherIT {
    @TempDir
    Path dir;

    record Exit(int code, String out) {
    }

    private static Exit run(Bridge bridge, String token, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(io.placewise.service.testing.Launcher.HOME.resolve("bin/placewise").toString())));
        pb.command().addAll(List.of(args));
        pb.environment().put("PLACEWISE_URL", "http://127.0.0.1:" + bridge.port());
        pb.environment().put("PLACEWISE_TOKEN", token);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Exit(p.exitValue(), out);
    }

    @Test
    void theLauncherTalksToTheBridgeAndExitsNonZeroOnARefusal() throws Exception {
        try (Bridge bridge = new Bridge(dir)) {
            bridge.admin("PUT", "/v1/cluster", Clusters.THREE_HOSTS);
            Exit list = run(bridge, Bridge.READER, "host", "list", "-f", "value", "-c", "name");
            assertThat(list.code()).as(list.out()).isZero();
            assertThat(list.out()).isEqualTo("pm1\npm2\npm3\n");
            Exit refused = run(bridge, Bridge.READER, "policy", "set", "BalanceWeigher", "--disable");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.out()).contains("needs the admin role (HTTP 403)");
            Exit help = run(bridge, Bridge.READER, "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("--os-url").contains("audit").contains("policy");
        }
    }
}
