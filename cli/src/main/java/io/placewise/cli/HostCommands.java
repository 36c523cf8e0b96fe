package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code host list|show}: GET /v1/hosts, with each host's hotspot mark from GET /v1/cluster/loads. */
@Command(name = "host", description = "Hosts: load, forecast, hotspot, VMs.", subcommands = {HostCommands.ListHosts.class,
        HostCommands.ShowHost.class})
final class HostCommands {
    /** "yes" (hotspot now and by forecast), "forecast" (by the forecast only) or "no", by host. */
    static Map<String, String> hotspots(BridgeClient c) {
        JsonNode l = c.get("/v1/cluster/loads");
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < l.path("hosts").size(); i++) {
            out.put(l.get("hosts").get(i).asText(), l.get("hotspot").get(i).asBoolean() ? "yes"
                    : l.get("forecast_hotspot").get(i).asBoolean() ? "forecast" : "no");
        }
        return out;
    }

    static ObjectNode row(JsonNode h, Map<String, String> hot) {
        ObjectNode o = ((ObjectNode) h).deepCopy();
        o.put("vm_count", h.path("usage").path("vm_count").asInt());
        o.put("hotspot", hot.getOrDefault(h.get("name").asText(), "no"));
        return o;
    }

    @Command(name = "list", description = "List hosts.")
    static final class ListHosts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            JsonNode hosts = c.get("/v1/hosts");
            Map<String, String> hot = hotspots(c);
            ArrayNode rows = BridgeClient.JSON.createArrayNode();
            boolean stale = false;
            for (JsonNode h : hosts) {
                rows.add(row(h, hot));
                stale |= h.has("stale");
            }
            List<String> cols = new ArrayList<>(List.of("name", "cpu_util", "mem_util", "nic_util", "vm_count", "enabled", "hotspot"));
            if (stale) {
                cols.add("stale");
            }
            cli.output().list(cols, rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one host: load, AR(1) forecast, VMs.")
    static final class ShowHost implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--samples", description = "include the sample window (oldest first)")
        boolean samples;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            ObjectNode h = row(c.get("/v1/hosts/" + BridgeClient.segment(name)), hotspots(c));
            if (!samples) {
                h.put("samples", h.path("samples").size());
            }
            cli.output().show(h);
            return 0;
        }
    }
}
