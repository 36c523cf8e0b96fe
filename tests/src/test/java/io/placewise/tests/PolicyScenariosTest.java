package io.placewise.tests;

import static io.placewise.tests.Scenario.filter;
import static io.placewise.tests.Scenario.patch;
import static io.placewise.tests.Scenario.rejection;
import static io.placewise.tests.Scenario.rejections;
import static io.placewise.tests.Scenario.select;
import static io.placewise.tests.Scenario.texts;
import static io.placewise.tests.Scenario.vm;
import static io.placewise.tests.Scenario.weighed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload policies of seed 002 §3.2 (Table 2 and observation 3) over REST, on the real bridge:
 * AffinityFilter's workload matrix, SameNonsharableResourceFilter and WorkloadAffinityWeigher, and
 * the run-time switches of /v1/policies.
 *
 * <p>The cluster: three identical hosts at the same load (CPU 20 %, memory 30 %), so BalanceWeigher
 * scores them all alike and only the policy under test can tell them apart. Each runs one VM:
 * pm1 the disk-I/O-bound {@code db1}, pm2 the CPU-bound {@code calc1}, pm3 {@code gpu1}, a mixed
 * VM holding a passed-through GPU (a nonsharable resource listed on the VM itself).
 * With the shipped matrix (cpu:cpu −0.6, disk_io:disk_io −1.0, cpu:disk_io +0.5) and floor −0.8.
 */
class PolicyScenariosTest {
    static final String CLUSTER = """
            {"hosts": [
              {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.20, "mem_util": 0.30},
              {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.20, "mem_util": 0.30},
              {"name": "pm3", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.20, "mem_util": 0.30}
             ],
             "vms": [
              {"id": "db1", "host": "pm1", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "cpu_util": 0.10,
               "workload": "disk_io"},
              {"id": "calc1", "host": "pm2", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.15,
               "workload": "cpu"},
              {"id": "gpu1", "host": "pm3", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.10,
               "workload": "mixed", "nonsharable": ["gpu"]}
             ]
            }""";

    static final String DISK_IO_VM = vm("\"workload\": \"disk_io\"");
    static final String CPU_VM = vm("\"workload\": \"cpu\"");

    @TempDir
    Path dir;
    Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = new Bridge(dir, Map.of());
        Scenario.put(bridge, CLUSTER);
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Nested
    class WorkloadAffinityFilter {
        @Test
        void aDiskIoVmIsNotPlacedNextToADiskIoVm() throws Exception {
            Bridge.Reply r = select(bridge, DISK_IO_VM);

            // disk_io:disk_io = −1.0 < floor −0.8: pm1 (db1) is out, by the matrix, before the
            // nonsharable-disk rule (which would also say no) is asked.
            assertThat(rejections(r)).containsOnlyKeys("pm1");
            JsonNode pm1 = rejection(r, "pm1");
            assertThat(pm1.get("filter").asText()).isEqualTo("AffinityFilter");
            assertThat(pm1.get("reason").asText()).isEqualTo("workload affinity: a disk_io VM would share the host with"
                    + " 1 disk_io VM(s); pair score -1.0 is below the floor -0.8");
            // Of the two left, the one with the CPU-bound neighbour (+0.5) beats the mixed one (0).
            assertThat(texts(r.body().get("selected"))).containsExactly("pm2");
            assertThat(texts(r.body().get("alternates"))).containsExactly("pm3");
        }

        @Test
        void aCpuVmMayGoNextToTheDiskIoVmAndNextToACpuVm() throws Exception {
            // cpu:disk_io = +0.5 and cpu:cpu = −0.6 are both above the floor −0.8: nothing is rejected.
            Bridge.Reply r = filter(bridge, CPU_VM);
            assertThat(texts(r.body().get("passed"))).containsExactly("pm1", "pm2", "pm3");
            assertThat(r.body().get("rejected")).isEmpty();

            Bridge.Reply s = select(bridge, CPU_VM);
            assertThat(texts(s.body().get("selected"))).containsExactly("pm1");
        }

        @Test
        void raisingTheFloorAtRunTimeKeepsCpuVmsApartFromTheNextRequestOn() throws Exception {
            JsonNode policy = patch(bridge, "AffinityFilter", "{\"params\": {\"floor\": -0.5}}");
            assertThat(policy.get("params").get("floor").asDouble()).isEqualTo(-0.5);

            // cpu:cpu = −0.6 is now below the floor −0.5: calc1's host is out; cpu:disk_io still fine.
            Bridge.Reply r = filter(bridge, CPU_VM);
            assertThat(texts(r.body().get("passed"))).containsExactly("pm1", "pm3");
            JsonNode pm2 = rejection(r, "pm2");
            assertThat(pm2.get("filter").asText()).isEqualTo("AffinityFilter");
            assertThat(pm2.get("reason").asText()).isEqualTo("workload affinity: a cpu VM would share the host with"
                    + " 1 cpu VM(s); pair score -0.6 is below the floor -0.5");
            // disk_io next to disk_io stays forbidden.
            assertThat(rejection(filter(bridge, DISK_IO_VM), "pm1").get("reason").asText())
                    .contains("pair score -1.0 is below the floor -0.5");

            // And back: the next request sees the old floor again.
            patch(bridge, "AffinityFilter", "{\"params\": {\"floor\": -0.8}}");
            assertThat(texts(filter(bridge, CPU_VM).body().get("passed"))).containsExactly("pm1", "pm2", "pm3");
        }

        @Test
        void twoDiskIoInstancesOfOneRequestDoNotShareAHostEither() throws Exception {
            // The second instance sees the first as a disk_io neighbour: pm2 (best, +0.5 next to
            // calc1) takes one, and the other has to go to pm3 although pm2 still has room.
            Bridge.Reply r = select(bridge, "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1024},"
                    + " \"workload\": \"disk_io\"}, \"hosts\": [\"pm1\", \"pm2\", \"pm3\"], \"num_instances\": 2}");
            assertThat(texts(r.body().get("selected"))).containsExactly("pm2", "pm3");

            // Only pm2 offered: the second disk_io instance would sit next to the first, and a request
            // is placed whole or not at all; two mixed VMs double up there without complaint.
            String onlyPm2 = "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1024}, \"workload\": \"%s\"},"
                    + " \"hosts\": [\"pm2\"], \"num_instances\": 2}";
            Bridge.Reply disk = select(bridge, String.format(onlyPm2, "disk_io"));
            Bridge.Reply mixed = select(bridge, String.format(onlyPm2, "mixed"));
            assertThat(disk.body().get("selected")).isEmpty();
            assertThat(rejection(disk, "pm2").get("reason").asText())
                    .contains("a disk_io VM would share the host with 1 disk_io VM(s)");
            assertThat(texts(mixed.body().get("selected"))).containsExactly("pm2", "pm2");
        }

        @Test
        void workloadFromTheFlavorsExtraSpecIsJudgedTheSameWay() throws Exception {
            Bridge.Reply r = filter(bridge, "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1024,"
                    + " \"extra_specs\": {\"placewise:workload\": \"disk_io\"}}}}");
            assertThat(texts(r.body().get("passed"))).containsExactly("pm2", "pm3");
            assertThat(rejection(r, "pm1").get("filter").asText()).isEqualTo("AffinityFilter");
        }
    }

    @Nested
    class NonsharableResources {
        /** The matrix would reject disk_io next to disk_io first; floor −1.0 turns that part off. */
        void matrixOff() throws Exception {
            patch(bridge, "AffinityFilter", "{\"params\": {\"floor\": -1.0}}");
        }

        @Test
        void theVmsOwnListKeepsItOffTheHostWhoseVmHoldsTheSameResource() throws Exception {
            Bridge.Reply r = select(bridge, vm("\"nonsharable\": [\"gpu\"]"));

            assertThat(rejections(r)).containsOnlyKeys("pm3");
            JsonNode pm3 = rejection(r, "pm3");
            assertThat(pm3.get("filter").asText()).isEqualTo("SameNonsharableResourceFilter");
            assertThat(pm3.get("reason").asText())
                    .isEqualTo("nonsharable resource 'gpu' is already used by 1 VM(s) here (gpu1); the VM needs [gpu]");
            assertThat(texts(r.body().get("selected"))).isNotEmpty().doesNotContain("pm3");
        }

        @Test
        void theFlavorsExtraSpecCountsToo() throws Exception {
            // A mixed VM (no class resource) whose flavor says it needs the GPU and the disk to itself:
            // gpu1 holds the GPU on pm3, db1 the disk on pm1 by its class (disk_io ⇒ disk).
            Bridge.Reply r = filter(bridge, "{\"spec\": {\"flavor\": {\"vcpus\": 1, \"memory_mb\": 1024,"
                    + " \"extra_specs\": {\"placewise:nonsharable\": \"gpu, disk\"}}}}");

            assertThat(texts(r.body().get("passed"))).containsExactly("pm2");
            assertThat(rejections(r)).containsOnlyKeys("pm1", "pm3");
            assertThat(rejection(r, "pm3").get("filter").asText()).isEqualTo("SameNonsharableResourceFilter");
            assertThat(rejection(r, "pm3").get("reason").asText())
                    .startsWith("nonsharable resource 'gpu' is already used by 1 VM(s) here (gpu1)");
            assertThat(rejection(r, "pm1").get("filter").asText()).isEqualTo("SameNonsharableResourceFilter");
            assertThat(rejection(r, "pm1").get("reason").asText())
                    .startsWith("nonsharable resource 'disk' is already used by 1 VM(s) here (db1)");
        }

        @Test
        void theWorkloadClassImpliesTheDisk() throws Exception {
            matrixOff();
            Bridge.Reply r = filter(bridge, DISK_IO_VM);

            // Now it is the disk, not the matrix, that keeps the two disk_io VMs apart.
            JsonNode pm1 = rejection(r, "pm1");
            assertThat(pm1.get("filter").asText()).isEqualTo("SameNonsharableResourceFilter");
            assertThat(pm1.get("reason").asText())
                    .isEqualTo("nonsharable resource 'disk' is already used by 1 VM(s) here (db1); the VM needs [disk]");
            assertThat(texts(r.body().get("passed"))).containsExactly("pm2", "pm3");
        }

        @Test
        void aMixedVmListingTheDiskMeetsTheDiskIoVmsImpliedDisk() throws Exception {
            Bridge.Reply r = filter(bridge, vm("\"nonsharable\": [\"disk\"]"));
            assertThat(rejection(r, "pm1").get("reason").asText())
                    .isEqualTo("nonsharable resource 'disk' is already used by 1 VM(s) here (db1); the VM needs [disk]");
            assertThat(texts(r.body().get("passed"))).containsExactly("pm2", "pm3");
        }

        @Test
        void theClassMappingIsAParameter() throws Exception {
            // Declare that CPU-bound VMs hold the last-level cache: calc1 now holds it on pm2.
            patch(bridge, "SameNonsharableResourceFilter", "{\"params\": {\"workload_resources\": \"disk_io:disk, cpu:llc\"}}");

            Bridge.Reply r = filter(bridge, CPU_VM);
            assertThat(rejection(r, "pm2").get("filter").asText()).isEqualTo("SameNonsharableResourceFilter");
            assertThat(rejection(r, "pm2").get("reason").asText())
                    .isEqualTo("nonsharable resource 'llc' is already used by 1 VM(s) here (calc1); the VM needs [llc]");
            assertThat(texts(r.body().get("passed"))).containsExactly("pm1", "pm3");
        }

        @Test
        void disablingTheFilterAtRunTimeLetsTheVmsShare() throws Exception {
            matrixOff();
            String gpuVm = vm("\"nonsharable\": [\"gpu\"]");
            assertThat(rejections(filter(bridge, gpuVm))).containsOnlyKeys("pm3");
            assertThat(rejections(filter(bridge, DISK_IO_VM))).containsOnlyKeys("pm1");

            JsonNode policy = patch(bridge, "SameNonsharableResourceFilter", "{\"enabled\": false}");
            assertThat(policy.get("enabled").asBoolean()).isFalse();

            assertThat(texts(filter(bridge, gpuVm).body().get("passed"))).containsExactly("pm1", "pm2", "pm3");
            assertThat(texts(filter(bridge, DISK_IO_VM).body().get("passed"))).containsExactly("pm1", "pm2", "pm3");

            patch(bridge, "SameNonsharableResourceFilter", "{\"enabled\": true}");
            assertThat(rejections(filter(bridge, gpuVm))).containsOnlyKeys("pm3");
        }
    }

    @Nested
    class WorkloadAffinityWeigher {
        @Test
        void aCpuVmPrefersTheDiskIoNeighbourOverTheCpuNeighbour() throws Exception {
            Bridge.Reply r = select(bridge, CPU_VM);

            assertThat(r.body().get("rejected")).isEmpty();
            assertThat(texts(r.body().get("selected"))).containsExactly("pm1");
            assertThat(texts(r.body().get("alternates"))).containsExactly("pm3", "pm2");
            Map<String, JsonNode> w = weighed(r);
            // Raw pair sums: pm1 +0.5 (db1), pm3 0 (mixed gpu1), pm2 −0.6 (calc1). Normalised over
            // [−0.6, 0.5]: pm1 1, pm3 0.6/1.1 = 0.545…, pm2 0; multiplier 1.
            Map<String, JsonNode> raw = weighed(Scenario.weigh(bridge, CPU_VM));
            assertThat(raw.get("pm1").get("raw").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(0.5);
            assertThat(raw.get("pm3").get("raw").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(0.0);
            assertThat(raw.get("pm2").get("raw").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(-0.6);
            assertThat(w.get("pm1").get("by").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(1.0);
            assertThat(w.get("pm3").get("by").get("WorkloadAffinityWeigher").asDouble()).isCloseTo(0.6 / 1.1, within(1e-9));
            assertThat(w.get("pm2").get("by").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(0.0);
            // The hosts are equally loaded: BalanceWeigher does not decide this.
            assertThat(w.get("pm1").get("by").get("BalanceWeigher").asDouble()).isEqualTo(0.0);
            assertThat(w.get("pm2").get("by").get("BalanceWeigher").asDouble()).isEqualTo(0.0);
        }

        @Test
        void aMultiplierChangeShowsInTheNextAnswer() throws Exception {
            patch(bridge, "WorkloadAffinityWeigher", "{\"multiplier\": 2.5}");
            Map<String, JsonNode> w = weighed(select(bridge, CPU_VM));
            assertThat(w.get("pm1").get("by").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(2.5);
            assertThat(w.get("pm3").get("by").get("WorkloadAffinityWeigher").asDouble())
                    .isCloseTo(2.5 * 0.6 / 1.1, within(1e-9));
            assertThat(w.get("pm1").get("weight").asDouble()).isCloseTo(2.5, within(1e-9));

            // A negative multiplier turns the preference around: the CPU neighbour now wins.
            patch(bridge, "WorkloadAffinityWeigher", "{\"multiplier\": -1.0}");
            Bridge.Reply r = select(bridge, CPU_VM);
            assertThat(texts(r.body().get("selected"))).containsExactly("pm2");
            assertThat(weighed(r).get("pm1").get("by").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(-1.0);

            // Disabled, it is no longer asked at all.
            patch(bridge, "WorkloadAffinityWeigher", "{\"enabled\": false, \"multiplier\": 1.0}");
            JsonNode by = weighed(select(bridge, CPU_VM)).get("pm1").get("by");
            assertThat(by.has("WorkloadAffinityWeigher")).isFalse();
            assertThat(by.has("BalanceWeigher")).isTrue();
        }
    }

    @Nested
    class Policies {
        @Test
        void everyPolicyIsListedWithKindSwitchMultiplierAndParameters() throws Exception {
            Bridge.Reply r = bridge.get("/v1/policies", Bridge.READER);
            assertThat(r.status()).isEqualTo(200);
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            r.body().forEach(p -> byName.put(p.get("name").asText(), p));

            assertThat(byName).containsKeys("ComputeFilter", "CapacityFilter", "AffinityFilter",
                    "SameNonsharableResourceFilter", "HotspotFilter", "BalanceWeigher", "IdcNetworkBenefitWeigher",
                    "HistoryMatchWeigher", "WorkloadAffinityWeigher", "ServerGroupSoftAffinityWeigher",
                    "ServerGroupSoftAntiAffinityWeigher");
            for (String filter : new String[] {"ComputeFilter", "CapacityFilter", "AffinityFilter",
                    "SameNonsharableResourceFilter", "HotspotFilter"}) {
                assertThat(byName.get(filter).get("kind").asText()).as(filter).isEqualTo("filter");
                assertThat(byName.get(filter).get("enabled").asBoolean()).as(filter).isTrue();
            }
            for (String weigher : new String[] {"BalanceWeigher", "IdcNetworkBenefitWeigher", "HistoryMatchWeigher",
                    "WorkloadAffinityWeigher"}) {
                assertThat(byName.get(weigher).get("kind").asText()).as(weigher).isEqualTo("weigher");
                assertThat(byName.get(weigher).get("enabled").asBoolean()).as(weigher).isTrue();
                assertThat(byName.get(weigher).get("multiplier").asDouble()).as(weigher).isEqualTo(1.0);
            }
            // The shipped defaults, as etc/placewise.conf documents them.
            assertThat(byName.get("AffinityFilter").get("params").get("floor").asDouble()).isEqualTo(-0.8);
            assertThat(byName.get("AffinityFilter").get("params").get("matrix").asText())
                    .contains("cpu:cpu=-0.6").contains("disk_io:disk_io=-1.0").contains("cpu:disk_io=0.5");
            assertThat(byName.get("SameNonsharableResourceFilter").get("params").get("workload_resources").asText())
                    .isEqualTo("disk_io:disk");
            JsonNode hot = byName.get("HotspotFilter").get("params");
            assertThat(hot.get("cpu_threshold").asDouble()).isEqualTo(0.85);
            assertThat(hot.get("swap_writes_threshold").asDouble()).isEqualTo(150.0);
            assertThat(hot.get("nic_threshold").asDouble()).isEqualTo(0.80);
            assertThat(byName.get("IdcNetworkBenefitWeigher").get("params").get("network_bound_mbps").asDouble())
                    .isEqualTo(1000.0);
            assertThat(byName.get("HistoryMatchWeigher").get("params").get("tolerance").asDouble()).isEqualTo(0.05);
        }

        @Test
        void aConfigSectionSetsThePolicyFromTheStart(@TempDir Path other) throws Exception {
            // As `[AffinityFilter] floor = -0.5` in placewise.conf would: CPU-bound VMs kept apart with no PATCH.
            try (Bridge configured = new Bridge(other, Map.of("AffinityFilter", Map.of("floor", "-0.5"),
                    "WorkloadAffinityWeigher", Map.of("multiplier", "2.0")))) {
                Scenario.put(configured, CLUSTER);
                assertThat(configured.get("/v1/policies/AffinityFilter", Bridge.READER).body().get("params").get("floor")
                        .asDouble()).isEqualTo(-0.5);
                Bridge.Reply r = select(configured, CPU_VM);
                assertThat(rejection(r, "pm2").get("reason").asText()).contains("pair score -0.6 is below the floor -0.5");
                assertThat(weighed(r).get("pm1").get("by").get("WorkloadAffinityWeigher").asDouble()).isEqualTo(2.0);
            }
        }

        @Test
        void aPatchIsListedAndSurvivesARestart() throws Exception {
            patch(bridge, "HotspotFilter", "{\"params\": {\"cpu_threshold\": 0.9}}");
            patch(bridge, "IdcNetworkBenefitWeigher", "{\"enabled\": false, \"multiplier\": 3.0}");
            bridge.restart();

            JsonNode hot = bridge.get("/v1/policies/HotspotFilter", Bridge.READER).body();
            assertThat(hot.get("params").get("cpu_threshold").asDouble()).isEqualTo(0.9);
            assertThat(hot.get("params").get("swap_writes_threshold").asDouble()).as("untouched").isEqualTo(150.0);
            JsonNode idc = bridge.get("/v1/policies/IdcNetworkBenefitWeigher", Bridge.READER).body();
            assertThat(idc.get("enabled").asBoolean()).isFalse();
            assertThat(idc.get("multiplier").asDouble()).isEqualTo(3.0);
        }
    }
}
