package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy list|show|set}: the filters, weighers and balancer, and run-time changes to them (admin). */
@Command(name = "policy", description = "Filters, weighers and the balancer.", subcommands = {PolicyCommands.ListPolicies.class,
        PolicyCommands.ShowPolicy.class, PolicyCommands.SetPolicy.class})
final class PolicyCommands {
    static ObjectNode fields(JsonNode p) {
        ObjectNode o = ((ObjectNode) p).deepCopy();
        o.remove("parameters");
        return o;
    }

    @Command(name = "list", description = "List policies.")
    static final class ListPolicies implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            cli.output().list(List.of("name", "kind", "enabled", "multiplier", "params"), (ArrayNode) cli.client().get("/v1/policies"));
            return 0;
        }
    }

    @Command(name = "show", description = "Show one policy.")
    static final class ShowPolicy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            cli.output().show(fields(cli.client().get("/v1/policies/" + BridgeClient.segment(name))));
            return 0;
        }
    }

    static final class Switch {
        @Option(names = "--enable", required = true, description = "enable the policy")
        boolean enable;
        @Option(names = "--disable", required = true, description = "disable the policy")
        boolean disable;
    }

    @Command(name = "set", description = "Change a policy at run time (persisted; admin).")
    static final class SetPolicy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME")
        String name;
        @ArgGroup(exclusive = true)
        Switch onOff;
        @Option(names = "--multiplier", paramLabel = "X", description = "a weigher's multiplier (negative allowed)")
        Double multiplier;
        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "a parameter of the policy (repeatable)")
        Map<String, String> params;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            ObjectNode body = BridgeClient.JSON.createObjectNode();
            if (onOff != null) {
                body.put("enabled", onOff.enable);
            }
            if (multiplier != null) {
                body.put("multiplier", multiplier);
            }
            if (params != null) {
                ObjectNode p = body.putObject("params");
                params.forEach(p::put);
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException("nothing to change: give --enable, --disable, --multiplier or --param");
            }
            cli.output().show(fields(cli.client().send("PATCH", "/v1/policies/" + BridgeClient.segment(name), body)));
            return 0;
        }
    }
}
