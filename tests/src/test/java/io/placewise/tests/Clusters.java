package io.placewise.tests;

/** Cluster snapshots used by several tests, as an operator would PUT them. */
final class Clusters {
    private Clusters() {
    }

    /**
     * Three 8-vCPU / 16 GiB hosts. pm1 is nearly full (7 vCPU allocated at ratio 1), pm2 runs web1 of
     * server group "web" and is busier than pm3, pm3 is idle.
     */
    static final String THREE_HOSTS = """
            {"hosts": [
              {"name": "pm1", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}},
              {"name": "pm2", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000}},
              {"name": "pm3", "capacity": {"vcpus": 8, "memory_mb": 16384, "disk_gb": 500, "nic_mbps": 1000},
               "cpu_util": 0.05}
             ],
             "vms": [
              {"id": "big", "host": "pm1", "vcpus": 7, "memory_mb": 8192, "disk_gb": 40, "cpu_util": 0.30},
              {"id": "web1", "host": "pm2", "vcpus": 2, "memory_mb": 2048, "disk_gb": 20, "cpu_util": 0.20,
               "workload": "web", "group": "web"},
              {"id": "db1", "host": "pm2", "vcpus": 2, "memory_mb": 4096, "disk_gb": 100, "cpu_util": 0.10,
               "workload": "disk_io"}
             ],
             "traffic": [{"src": "web1", "dst": "db1", "mbps": 120.0}]
            }""";

    static String spec(int vcpus, String extra) {
        return "{\"spec\": {\"flavor\": {\"vcpus\": " + vcpus + ", \"memory_mb\": 2048, \"disk_gb\": 20}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}}";
    }
}
