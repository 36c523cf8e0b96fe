package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same bridge code on a real PostgreSQL server: migrations, diff writes, sample windows and
 * policy overrides survive a restart. Runs in the {@code postgres} profile (see tests/pom.xml).
 */
@Tag("postgres")
class PostgresStorageTest {
    static final String URL = env("PLACEWISE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/placewise");
    static final String USER = env("PLACEWISE_TEST_PG_USER", "placewise");
    static final String PASSWORD = env("PLACEWISE_TEST_PG_PASSWORD", "placewise");

    static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isEmpty() ? d : v;
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    /** A cluster of {@code hosts} hosts with {@code perHost} VMs each, traffic between neighbours. */
    static String bigCluster(int hosts, int perHost) {
        StringBuilder h = new StringBuilder();
        StringBuilder v = new StringBuilder();
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < hosts; i++) {
            h.append(i == 0 ? "" : ",").append("{\"name\": \"h").append(i)
                    .append("\", \"capacity\": {\"vcpus\": 64, \"memory_mb\": 262144, \"disk_gb\": 4000, \"nic_mbps\": 10000}}");
            for (int j = 0; j < perHost; j++) {
                String id = "vm-" + i + "-" + j;
                v.append(v.isEmpty() ? "" : ",").append("{\"id\": \"").append(id).append("\", \"host\": \"h").append(i)
                        .append("\", \"vcpus\": 2, \"memory_mb\": 4096, \"cpu_util\": 0.01, \"workload\": \"web\", \"group\": \"g")
                        .append(j % 5).append("\"}");
                if (j > 0) {
                    t.append(t.isEmpty() ? "" : ",").append("{\"src\": \"").append(id).append("\", \"dst\": \"vm-")
                            .append(i).append("-").append(j - 1).append("\", \"mbps\": 10}");
                }
            }
        }
        return "{\"hosts\": [" + h + "], \"vms\": [" + v + "], \"traffic\": [" + t + "]}";
    }

    @Test
    void everythingStoredSurvivesARestartOnPostgres() throws Exception {
        try (Bridge bridge = new Bridge(URL, USER, PASSWORD, Map.of(), 3)) {
            assertThat(bridge.admin("PUT", "/v1/cluster", bigCluster(50, 20)).status()).isEqualTo(200);
            for (int i = 1; i <= 5; i++) {
                assertThat(bridge.send("POST", "/v1/hosts/h7/samples", Bridge.SERVICE, "{\"cpu_util\": 0." + i + "}").status())
                        .isEqualTo(202);
            }
            // A sample that moves a VM and changes its traffic: a diff write on every table.
            bridge.send("POST", "/v1/hosts/h8/samples", Bridge.SERVICE,
                    "{\"vms\": [{\"id\": \"vm-7-3\", \"cpu_util\": 0.2}], \"traffic\": [{\"src\": \"vm-7-3\", \"dst\": \"vm-7-2\", \"mbps\": 55}]}");
            bridge.admin("PATCH", "/v1/policies/BalanceWeigher", "{\"multiplier\": 2.5}");
            // A refused request changes nothing on PostgreSQL either.
            assertThat(bridge.admin("PUT", "/v1/cluster", "{\"hosts\": [{\"name\": \"x\"}]}").status()).isEqualTo(422);
            String cluster = bridge.get("/v1/cluster", Bridge.READER).text();

            bridge.restart();

            assertThat(bridge.get("/v1/cluster", Bridge.READER).text()).isEqualTo(cluster);
            JsonNode h7 = bridge.get("/v1/hosts/h7", Bridge.READER).body();
            assertThat(h7.get("samples").findValuesAsText("cpu_util")).containsExactly("0.3", "0.4", "0.5");
            assertThat(bridge.get("/v1/hosts/h8", Bridge.READER).body().get("vms").toString()).contains("vm-7-3");
            assertThat(bridge.get("/v1/policies/BalanceWeigher", Bridge.READER).body().get("multiplier").asDouble()).isEqualTo(2.5);
            assertThat(bridge.select(Clusters.spec(2, "")).body().get("selected")).hasSize(1);
            assertThat(bridge.get("/healthz", null).body().get("database").asText()).isEqualTo("ok");
        }
    }
}
