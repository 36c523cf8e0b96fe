package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code audit create|show|list|execute|cancel}: the balancer's audits and their execution. */
@Command(name = "audit", description = "Balancer audits: plan, execute, follow, cancel.", subcommands = {AuditCommands.Create.class,
        AuditCommands.Show.class, AuditCommands.ListAudits.class, AuditCommands.Execute.class, AuditCommands.Cancel.class})
final class AuditCommands {
    private static final Set<String> FINISHED = Set.of("completed", "failed", "partially_completed", "cancelled");

    /** An audit as Field/Value rows: its metrics flattened, the plan one step a line, the execution if any. */
    static ObjectNode fields(JsonNode a, Execution exec) {
        ObjectNode o = BridgeClient.JSON.createObjectNode();
        o.set("id", a.get("id"));
        o.set("goal", a.get("goal"));
        o.set("triggered", a.get("triggered"));
        o.set("dry_run", a.get("dry_run"));
        JsonNode m = a.path("metrics");
        o.set("c_avg", m.get("c_avg"));
        o.set("c_m", m.get("c_m"));
        o.set("threshold", m.get("threshold"));
        o.set("projected_cm", m.get("projected_cm"));
        o.set("hotspots", m.get("hotspots"));
        o.put("history_match", a.path("history_match").isObject() ? a.get("history_match").path("record_id").asText() : "");
        ArrayNode plan = o.putArray("plan");
        for (JsonNode s : a.path("plan")) {
            plan.add(step(s));
        }
        o.set("notes", a.get("notes"));
        o.set("decision_ms", a.get("decision_ms"));
        o.set("created_at", a.get("created_at"));
        o.put("execution", exec.state());
        if (!exec.steps().isEmpty()) {
            ArrayNode steps = o.putArray("steps");
            exec.steps().forEach(s -> steps.add(s.line()));
        }
        return o;
    }

    private static String step(JsonNode s) {
        String action = s.path("action").asText("migrate");
        String what = action.equals("grow_memory") ? "grow memory of " + s.get("vm").asText() + " on " + s.get("source").asText()
                + " by " + s.path("amount_mb").asText() + " MB"
                : s.get("vm").asText() + " " + s.get("source").asText() + " -> " + s.path("destination").asText()
                + " (" + s.path("strategy").asText() + ")";
        return s.get("order").asText() + ". " + what + ": " + s.path("reason").asText();
    }

    /** One step of an execution, as the bridge reports it. */
    record StepState(int order, String vm, String state, String error) {
        String line() {
            return order + ". " + (vm == null ? "" : vm + " ") + state + (error == null || error.isEmpty() ? "" : ": " + error);
        }
    }

    /**
     * An audit's execution: the audit's {@code execution} object when the bridge has one, else derived
     * from the plan's records in GET /v1/migrations.
     */
    record Execution(String state, List<StepState> steps) {
        static Execution of(BridgeClient c, JsonNode audit) {
            Map<Integer, String> vms = new HashMap<>();
            audit.path("plan").forEach(s -> vms.put(s.get("order").asInt(), s.get("vm").asText()));
            JsonNode e = audit.get("execution");
            List<StepState> steps = new ArrayList<>();
            if (e != null && e.isObject()) {
                for (JsonNode s : e.path("steps")) {
                    steps.add(new StepState(s.path("order").asInt(), vms.get(s.path("order").asInt()), s.path("state").asText(),
                            s.path("error").isNull() ? null : s.path("error").asText(null)));
                }
                return new Execution(e.path("state").asText(), steps);
            }
            String id = audit.get("id").asText();
            for (JsonNode m : c.get("/v1/migrations")) {
                if (m.path("audit_id").asText().equals(id)) {
                    steps.add(new StepState(m.get("order").asInt(), m.path("vm").asText(), m.path("state").asText(),
                            m.path("error").isNull() ? null : m.path("error").asText(null)));
                }
            }
            steps.sort((x, y) -> Integer.compare(x.order(), y.order()));
            return new Execution(overall(steps), steps);
        }

        private static String overall(List<StepState> steps) {
            if (steps.isEmpty()) {
                return "not_started";
            }
            List<String> s = steps.stream().map(StepState::state).toList();
            if (s.stream().anyMatch(x -> x.equals("queued") || x.equals("running"))) {
                return "running";
            }
            if (s.stream().allMatch(x -> x.equals("completed") || x.equals("skipped"))) {
                return "completed";
            }
            if (s.contains("completed")) {
                return "partially_completed";
            }
            return s.stream().allMatch(x -> x.equals("cancelled")) ? "cancelled" : "failed";
        }
    }

    /** Polls until the execution ends, printing each step's changes to stderr; 0 when it completed. */
    static int follow(PlacewiseCli cli, BridgeClient c, String id, int pollMs, int timeoutS) {
        PrintWriter err = cli.err();
        Map<Integer, String> seen = new HashMap<>();
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (true) {
            JsonNode audit = c.get("/v1/audits/" + BridgeClient.segment(id));
            Execution e = Execution.of(c, audit);
            int total = audit.path("plan").size();
            long done = e.steps().stream().filter(s -> FINISHED.contains(s.state()) || s.state().equals("skipped")
                    || s.state().equals("aborted")).count();
            for (StepState s : e.steps()) {
                if (!s.state().equals(seen.put(s.order(), s.state()))) {
                    err.printf(Locale.ROOT, "[%d/%d done] step %s%n", done, total, s.line());
                }
            }
            err.flush();
            if (FINISHED.contains(e.state())) {
                cli.output().show(fields(audit, e));
                if (!e.state().equals("completed")) {
                    err.println("placewise: audit " + id + " ended " + e.state());
                    return 1;
                }
                return 0;
            }
            if (System.nanoTime() > deadline) {
                err.println("placewise: audit " + id + " still " + e.state() + " after " + timeoutS + " s; it goes on in the bridge");
                return 1;
            }
            try {
                Thread.sleep(pollMs);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** Options of the commands that can wait for an execution to end. */
    static final class Wait {
        @Option(names = "--wait", description = "wait for the execution to end, showing each step's progress")
        boolean wait;
        @Option(names = "--wait-timeout", defaultValue = "3600", paramLabel = "SECONDS",
                description = "give up waiting after this long (default: ${DEFAULT-VALUE}); the plan goes on")
        int waitTimeoutS;
        @Option(names = "--poll-interval", defaultValue = "1000", paramLabel = "MS", hidden = true)
        int pollMs;
    }

    @Command(name = "create", description = "Audit the live cluster (or a what-if snapshot) and plan the moves.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--goal", required = true, description = "balance, hotspot or consolidate")
        String goal;
        @Option(names = "--execute", description = "execute the plan at once (default: a dry run)")
        boolean execute;
        @Option(names = "--cluster", paramLabel = "FILE", description = "a what-if snapshot: the audit runs on it only")
        Path cluster;
        @picocli.CommandLine.Mixin
        Wait wait = new Wait();

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            ObjectNode body = BridgeClient.JSON.createObjectNode().put("goal", goal).put("dry_run", !execute);
            if (cluster != null) {
                try {
                    body.set("cluster", BridgeClient.JSON.readTree(Files.readString(cluster)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            JsonNode audit = c.send("POST", "/v1/audits", body);
            if (execute && wait.wait && audit.path("plan").size() > 0) {
                return follow(cli, c, audit.get("id").asText(), wait.pollMs, wait.waitTimeoutS);
            }
            cli.output().show(fields(audit, Execution.of(c, audit)));
            return 0;
        }
    }

    @Command(name = "show", description = "Show an audit, its plan and its execution.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            JsonNode audit = c.get("/v1/audits/" + BridgeClient.segment(id));
            cli.output().show(fields(audit, Execution.of(c, audit)));
            return 0;
        }
    }

    @Command(name = "list", description = "List audits, newest first.")
    static final class ListAudits implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--limit", defaultValue = "50", description = "at most this many (1–1000, default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            JsonNode audits = cli.client().get("/v1/audits?limit=" + limit);
            cli.output().list(List.of("id", "goal", "triggered", "steps", "executed", "c_m", "created_at"), (ArrayNode) audits);
            return 0;
        }
    }

    @Command(name = "execute", description = "Execute an audit's plan (--wait: follow it to the end).")
    static final class Execute implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;
        @picocli.CommandLine.Mixin
        Wait wait = new Wait();

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            c.send("POST", "/v1/audits/" + BridgeClient.segment(id) + "/execute", null);
            if (wait.wait) {
                return follow(cli, c, id, wait.pollMs, wait.waitTimeoutS);
            }
            JsonNode audit = c.get("/v1/audits/" + BridgeClient.segment(id));
            cli.output().show(fields(audit, Execution.of(c, audit)));
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancel the steps of an executing plan that have not started.")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            PlacewiseCli cli = PlacewiseCli.of(spec);
            BridgeClient c = cli.client();
            c.send("POST", "/v1/audits/" + BridgeClient.segment(id) + "/cancel", null);
            JsonNode audit = c.get("/v1/audits/" + BridgeClient.segment(id));
            cli.output().show(fields(audit, Execution.of(c, audit)));
            return 0;
        }
    }
}
