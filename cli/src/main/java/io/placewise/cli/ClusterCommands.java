package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cluster show|load FILE|sync}: the live snapshot, replaced from a file or from Nova. */
@Command(name = "cluster", description = "The live cluster snapshot.", subcommands = {ClusterCommands.Show.class,
        ClusterCommands.Load.class, ClusterCommands.Sync.class})
final class ClusterCommands {
    /** Counts of a snapshot, with the imbalance and hotspots when {@code loads} is given. */
    static ObjectNode summary(JsonNode cluster, JsonNode loads) {
        ObjectNode o = BridgeClient.JSON.createObjectNode();
        int enabled = 0;
        for (JsonNode h : cluster.path("hosts")) {
            enabled += h.path("enabled").asBoolean(true) ? 1 : 0;
        }
        o.put("hosts", cluster.path("hosts").size());
        o.put("enabled_hosts", enabled);
        o.put("vms", cluster.path("vms").size());
        o.put("traffic_pairs", cluster.path("traffic").size());
        if (loads != null) {
            o.put("c_avg", loads.path("c_avg").asDouble());
            o.put("c_m", loads.path("c_m").asDouble());
            o.set("hotspots", flagged(loads, "hotspot"));
            o.set("forecast_hotspots", flagged(loads, "forecast_hotspot"));
        }
        return o;
    }

    private static JsonNode flagged(JsonNode loads, String column) {
        var names = BridgeClient.JSON.createArrayNode();
        for (int i = 0; i < loads.path("hosts").size(); i++) {
            if (loads.get(column).get(i).asBoolean()) {
                names.add(loads.get("hosts").get(i).asText());
            }
        }
        return names;
    }

    @Command(name = "show", description = "Summarise the live cluster (--snapshot: print it whole, as JSON).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--snapshot", description = "print the whole snapshot as JSON (the input of cluster load)")
        boolean snapshot;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            JsonNode cluster = c.get("/v1/cluster");
            if (snapshot) {
                spec.commandLine().getOut().println(cluster.toPrettyString());
                spec.commandLine().getOut().flush();
                return 0;
            }
            cli.output().show(summary(cluster, c.get("/v1/cluster/loads")));
            return 0;
        }
    }

    @Command(name = "load", description = "Replace the live cluster with the snapshot in FILE (- for standard input).")
    static final class Load implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            JsonNode body;
            try {
                String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
                body = BridgeClient.JSON.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            BridgeClient c = cli.client();
            JsonNode cluster = c.send("PUT", "/v1/cluster", body);
            cli.output().show(summary(cluster, c.get("/v1/cluster/loads")));
            return 0;
        }
    }

    @Command(name = "sync", description = "Replace the live cluster with Nova's hypervisors and servers.")
    static final class Sync implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            JsonNode cluster = c.send("POST", "/v1/cluster/sync", null);
            cli.output().show(summary(cluster, c.get("/v1/cluster/loads")));
            return 0;
        }
    }
}
