package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migration list|show} and {@code history list}: what the balancer ran and what it learnt. */
@Command(name = "migration", description = "Migrations the balancer ran.", subcommands = {MigrationCommands.ListMigrations.class,
        MigrationCommands.ShowMigration.class})
final class MigrationCommands {
    /** The migrator's report (strategy used, downtime, total time, data) lifted to columns. */
    static ObjectNode flat(JsonNode m) {
        ObjectNode o = ((ObjectNode) m).deepCopy();
        JsonNode r = m.path("result");
        for (String k : List.of("strategy_used", "downtime_ms", "total_ms", "data_mb")) {
            o.set(k, r.has(k) ? r.get(k) : BridgeClient.JSON.nullNode());
        }
        o.remove("result");
        return o;
    }

    @Command(name = "list", description = "List migrations.")
    static final class ListMigrations implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            ArrayNode rows = BridgeClient.JSON.createArrayNode();
            cli.client().get("/v1/migrations").forEach(m -> rows.add(flat(m)));
            cli.output().list(List.of("id", "vm", "source", "destination", "strategy", "state", "downtime_ms", "total_ms", "data_mb"),
                    rows);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one migration.")
    static final class ShowMigration implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            cli.output().show(flat(cli.client().get("/v1/migrations/" + BridgeClient.segment(id))));
            return 0;
        }
    }
}
