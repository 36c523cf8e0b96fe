package io.placewise.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code history list}: the balancer's history records (seed 000 §3.1 step 3), newest first. */
@Command(name = "history", description = "The balancer's history records.", subcommands = HistoryCommands.ListHistory.class)
final class HistoryCommands {
    @Command(name = "list", description = "List history records, newest first.")
    static final class ListHistory implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            cli.output().list(List.of("id", "at", "vm", "source", "destination"), (ArrayNode) cli.client().get("/v1/history"));
            return 0;
        }
    }
}
