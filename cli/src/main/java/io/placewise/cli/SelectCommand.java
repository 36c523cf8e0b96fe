package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code select --flavor vcpus=2,ram=2048 [--workload …]}: POST /v1/select, with every rejection's reason. */
@Command(name = "select", description = "Ask where a VM should go, and why the other hosts were not chosen.")
final class SelectCommand implements Callable<Integer> {
    private static final Map<String, String> FLAVOR_KEYS = Map.of("vcpus", "vcpus", "ram", "memory_mb", "memory_mb", "memory_mb",
            "disk", "disk_gb", "disk_gb", "disk_gb");

    @Spec
    CommandSpec spec;
    @Option(names = "--flavor", required = true, split = ",", paramLabel = "KEY=VALUE",
            description = "vcpus=N,ram=MB[,disk=GB]")
    Map<String, String> flavor;
    @Option(names = "--workload", description = "cpu, memory, disk_io, net_rx, web or mixed")
    String workload;
    @Option(names = "--nonsharable", paramLabel = "RESOURCE", description = "a nonsharable resource the VM holds (repeatable)")
    List<String> nonsharable;
    @Option(names = "--group", paramLabel = "NAME:POLICY", description = "server group, e.g. web:anti-affinity")
    String group;
    @Option(names = "--member", paramLabel = "VM", description = "a member of --group already placed (repeatable)")
    List<String> members;
    @Option(names = "--traffic", paramLabel = "PEER=MBPS", description = "traffic to a VM (repeatable)")
    Map<String, Double> traffic;
    @Option(names = "--host", paramLabel = "HOST", description = "a candidate host (repeatable; default every enabled host)")
    List<String> hosts;
    @Option(names = "--num-instances", defaultValue = "1")
    int numInstances;

    @Override
    public Integer call() {
        PlacewiseCli cli = PlacewiseCli.of(spec);
        ObjectNode body = BridgeClient.JSON.createObjectNode();
        ObjectNode s = body.putObject("spec");
        ObjectNode f = s.putObject("flavor");
        flavor.forEach((k, v) -> {
            String key = FLAVOR_KEYS.get(k.toLowerCase(Locale.ROOT));
            if (key == null) {
                throw new IllegalArgumentException("--flavor: unknown key '" + k + "' (vcpus, ram, disk)");
            }
            try {
                f.put(key, Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--flavor: " + k + " must be a whole number, was '" + v + "'");
            }
        });
        if (workload != null) {
            s.put("workload", workload);
        }
        if (nonsharable != null) {
            nonsharable.forEach(s.putArray("nonsharable")::add);
        }
        if (group != null) {
            String[] g = group.split(":", 2);
            if (g.length != 2) {
                throw new IllegalArgumentException("--group: expected NAME:POLICY, e.g. web:anti-affinity");
            }
            ObjectNode go = s.putObject("group").put("name", g[0]).put("policy", g[1]);
            if (members != null) {
                members.forEach(go.putArray("members")::add);
            }
        }
        if (traffic != null) {
            ArrayNode t = s.putArray("traffic");
            traffic.forEach((peer, mbps) -> t.addObject().put("peer", peer).put("mbps", mbps));
        }
        if (hosts != null) {
            hosts.forEach(body.putArray("hosts")::add);
        }
        body.put("num_instances", numInstances);
        JsonNode r = cli.client().send("POST", "/v1/select", body);
        ObjectNode o = BridgeClient.JSON.createObjectNode();
        o.set("selected", r.get("selected"));
        o.set("alternates", r.get("alternates"));
        o.put("passed", r.path("passed_total").asInt(r.path("weighed").size()));
        ArrayNode weighed = o.putArray("weighed");
        for (JsonNode w : r.path("weighed")) {
            weighed.add(String.format(Locale.ROOT, "%s %.3f", w.get("host").asText(), w.get("weight").asDouble()));
        }
        ArrayNode rejected = o.putArray("rejected");
        for (JsonNode x : r.path("rejected")) {
            rejected.add(x.get("host").asText() + ": " + x.get("filter").asText() + ": " + x.get("reason").asText());
        }
        o.set("decision_ms", r.get("decision_ms"));
        cli.output().show(o);
        return 0;
    }
}
