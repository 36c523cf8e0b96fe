package io.placewise.migrator.agent;

import io.placewise.service.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.placewise.migrator.agent.config.AgentConfig;
import io.placewise.migrator.agent.config.AgentConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped etc/placewise-migrator.conf is what outside checks rely on; bad values name their key. */
class AgentConfigLoaderTest {
    static final Path SHIPPED = Path.of("..", "etc", "placewise-migrator.conf");

    @TempDir
    Path dir;

    @Test
    void shippedConfigHasTheDocumentedKeysAndDefaults() {
        AgentConfig c = AgentConfigLoader.load(SHIPPED);
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.bindPort()).isEqualTo(8791);
        assertThat(c.databaseUrl()).isEqualTo("jdbc:h2:file:./var/placewise-migrator");
        assertThat(c.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(c.defaultMaxDowntimeMs()).isEqualTo(300);
        assertThat(c.runner().noProgressTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.runner().completionTimeoutSPerGib()).isEqualTo(800);
        assertThat(c.runner().escalateToPostCopy()).isFalse();
        assertThat(c.runner().throttle().expectedRatio()).isEqualTo(0.8);
        assertThat(c.runner().throttle().floorPct()).isEqualTo(20);
        assertThat(c.guestToleratesSlowing()).isFalse();
        assertThat(c.runner().undefineSource()).isTrue();
        assertThat(c.orphanedJobs()).isEqualTo(io.placewise.migrator.agent.config.OrphanedJobs.ADOPT);
        assertThat(c.profiler().cpuCgroup()).as("the whole machine's /proc/stat").isNull();
        assertThat(c.profiler().pushes()).isFalse();
        assertThat(c.profiler().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.auth().roleOf("change-me-service")).isPresent();
    }

    @Test
    void aBadValueIsRefusedNamingTheFileSectionAndKey() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[migrator]\nthrottle_ratio = 1.5\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(conf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[migrator] throttle_ratio").hasMessageContaining("outside");

        Files.writeString(conf, "[profiler]\nbridge_url = http://bridge:8790\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(conf)).hasMessageContaining("[profiler] bridge_token");

        Files.writeString(conf, "[migrator]\nescalate_to_postcopy = maybe\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(conf)).hasMessageContaining("not true or false");

        Files.writeString(conf, "[migrator]\norphaned_jobs = ignore\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(conf)).hasMessageContaining("[migrator] orphaned_jobs")
                .hasMessageContaining("not adopt or abort");

        Files.writeString(conf, "[migrator]\norphaned_jobs = Abort\n[profiler]\ncpu_cgroup = /sys/fs/cgroup/cpuacct/labA\n"
                + "cpus = 1\n");
        AgentConfig c = AgentConfigLoader.load(conf);
        assertThat(c.orphanedJobs()).isEqualTo(io.placewise.migrator.agent.config.OrphanedJobs.ABORT);
        assertThat(c.profiler().cpuCgroup()).isEqualTo(Path.of("/sys/fs/cgroup/cpuacct/labA"));
        assertThat(c.profiler().cpus()).isEqualTo(1);
    }
}
