package io.placewise.bridge.resources;

import io.placewise.bridge.http.LogSafe;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per scheduling decision, on the logger {@code io.placewise.bridge.decisions} (an operator
 * who does not want them sets it to WARN): the hook, the instance, what was selected, how many hosts
 * were rejected and how long the core took.
 */
final class DecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.placewise.bridge.decisions");

    private DecisionLog() {
    }

    private static String safe(Object o) {
        return o == null ? "-" : LogSafe.of(o.toString());
    }

    static void decided(String hook, String instance, List<String> selected, int rejected, int candidates, double decisionMs) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.info("{} instance={} selected={} rejected={} of {} decision_ms={}", hook, safe(instance),
                selected.isEmpty() ? "none" : safe(selected.size() > 3
                        ? String.join(",", selected.subList(0, 3)) + ",…(" + selected.size() + ")" : String.join(",", selected)),
                rejected, candidates, String.format(Locale.ROOT, "%.3f", decisionMs));
    }
}
