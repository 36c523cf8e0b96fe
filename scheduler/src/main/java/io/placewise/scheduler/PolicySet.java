package io.placewise.scheduler;

import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.ParamException;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.Policy;
import io.placewise.plugin.PolicyParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The effective policy configuration: every policy's settings from its defaults, then its section
 * of the config file, then the operator's stored overrides. Immutable; a change makes a new set,
 * which the next request picks up.
 */
public final class PolicySet {
    /** A policy with the settings it runs with. */
    public record Configured<P extends Policy>(P policy, PolicySettings settings) {
    }

    private final PolicyCatalog catalog;
    private final Map<String, Map<String, String>> fileSections;
    private final Map<String, PolicyOverride> overrides;
    private final List<Configured<HostFilter>> filters;
    private final List<Configured<HostWeigher>> weighers;
    private final Map<String, PolicySettings> byName;
    private final List<String> filterOrder;

    private PolicySet(PolicyCatalog catalog, Map<String, Map<String, String>> fileSections,
                      List<String> filterOrder, Map<String, PolicyOverride> overrides) {
        this.catalog = catalog;
        this.fileSections = Map.copyOf(fileSections);
        this.overrides = Map.copyOf(overrides);
        List<PolicyConfigException.Problem> problems = new ArrayList<>();
        Map<String, PolicySettings> settings = new LinkedHashMap<>();

        List<String> order = new ArrayList<>();
        for (String name : filterOrder) {
            if (!catalog.filters().containsKey(name)) {
                problems.add(new PolicyConfigException.Problem("[scheduler] filter_order",
                        "'" + name + "' is not a filter on the class path (known: " + catalog.filters().keySet() + ")"));
            } else if (!order.contains(name)) {
                order.add(name);
            }
        }
        catalog.filters().keySet().stream().filter(n -> !order.contains(n)).forEach(order::add);

        List<Configured<HostFilter>> f = new ArrayList<>();
        for (String name : order) {
            HostFilter filter = catalog.filters().get(name);
            resolve(filter, PolicyKind.FILTER, problems).ifPresent(s -> {
                f.add(new Configured<>(filter, s));
                settings.put(name, s);
            });
        }
        List<Configured<HostWeigher>> w = new ArrayList<>();
        for (HostWeigher weigher : catalog.weighers().values()) {
            resolve(weigher, PolicyKind.WEIGHER, problems).ifPresent(s -> {
                w.add(new Configured<>(weigher, s));
                settings.put(weigher.name(), s);
            });
        }
        if (!problems.isEmpty()) {
            throw new PolicyConfigException("invalid policy configuration", problems);
        }
        this.filters = List.copyOf(f);
        this.weighers = List.copyOf(w);
        this.byName = Map.copyOf(settings);
        this.filterOrder = List.copyOf(order);
    }

    /**
     * @param fileSections each policy's config-file section ({@code enabled}, {@code multiplier}
     *                     and its parameters), keyed by policy name
     * @param filterOrder  filters to run first, in this order; the others follow in discovery order
     * @param overrides    stored run-time overrides, keyed by policy name
     * @throws PolicyConfigException listing every bad key
     */
    public static PolicySet configure(PolicyCatalog catalog, Map<String, Map<String, String>> fileSections,
                                      List<String> filterOrder, Map<String, PolicyOverride> overrides) {
        return new PolicySet(catalog, fileSections, filterOrder, overrides);
    }

    private Optional<PolicySettings> resolve(Policy policy, PolicyKind kind, List<PolicyConfigException.Problem> problems) {
        String name = policy.name();
        Map<String, String> section = new LinkedHashMap<>(fileSections.getOrDefault(name, Map.of()));
        PolicyOverride override = overrides.getOrDefault(name, PolicyOverride.NONE);
        int before = problems.size();
        BiConsumer<String, String> fileProblem = (key, msg) ->
                problems.add(new PolicyConfigException.Problem("[" + name + "] " + key, msg));

        boolean enabled = policy.enabledByDefault();
        String enabledText = section.remove("enabled");
        if (enabledText != null) {
            Optional<Boolean> e = ParamSpec.parseBoolean(enabledText);
            if (e.isEmpty()) {
                fileProblem.accept("enabled", "'" + enabledText + "' is not true or false (yes/no, on/off, 1/0)");
            }
            enabled = e.orElse(enabled);
        }
        if (override.enabled() != null) {
            enabled = override.enabled();
        }

        Double multiplier = null;
        String multiplierText = section.remove("multiplier");
        if (kind == PolicyKind.WEIGHER) {
            multiplier = ((HostWeigher) policy).defaultMultiplier();
            if (multiplierText != null) {
                try {
                    multiplier = Double.parseDouble(multiplierText.trim());
                    if (!Double.isFinite(multiplier)) {
                        fileProblem.accept("multiplier", "must be a finite number");
                    }
                } catch (NumberFormatException e) {
                    fileProblem.accept("multiplier", "'" + multiplierText + "' is not a number");
                }
            }
            if (override.multiplier() != null) {
                multiplier = override.multiplier();
            }
        } else if (multiplierText != null) {
            fileProblem.accept("multiplier", "a filter has no multiplier");
        }

        PolicyParams params = PolicyParams.none();
        try {
            params = PolicyParams.of(policy.parameters(), section);
        } catch (IllegalArgumentException e) {
            fileProblem.accept(paramOf(e), e.getMessage());
        }
        try {
            params = params.with(override.params());
            policy.validate(params);
        } catch (IllegalArgumentException e) {
            // A value the operator's PATCH set is the PATCH's field; any other came from the file's section.
            String param = paramOf(e);
            if (override.params().containsKey(param)) {
                problems.add(new PolicyConfigException.Problem("params." + param, e.getMessage()));
            } else {
                fileProblem.accept(param, e.getMessage());
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new PolicySettings(name, kind, enabled, multiplier, params));
    }

    /**
     * The parameter an exception is about, as {@link ParamException} says; a policy that throws a plain
     * IllegalArgumentException from {@code validate} names none, so the problem is its parameters as a
     * whole (its message is kept as it is; no name is guessed from it).
     */
    private static String paramOf(IllegalArgumentException e) {
        return e instanceof ParamException p ? p.param() : "(parameters)";
    }

    /**
     * This set with one more override for {@code name} applied on top of the stored one.
     *
     * @throws PolicyConfigException when the result is not valid (nothing changes then)
     * @throws java.util.NoSuchElementException when no policy has that name
     */
    public PolicySet withOverride(String name, PolicyOverride change) {
        PolicyKind kind = catalog.kindOf(name).orElseThrow(() -> new java.util.NoSuchElementException(name));
        List<PolicyConfigException.Problem> problems = new ArrayList<>();
        if (kind == PolicyKind.FILTER && change.multiplier() != null) {
            problems.add(new PolicyConfigException.Problem("multiplier", name + " is a filter: it has no multiplier"));
        }
        if (change.multiplier() != null && !Double.isFinite(change.multiplier())) {
            problems.add(new PolicyConfigException.Problem("multiplier", "must be a finite number"));
        }
        if (!problems.isEmpty()) {
            throw new PolicyConfigException("invalid change to " + name, problems);
        }
        Map<String, PolicyOverride> next = new LinkedHashMap<>(overrides);
        next.put(name, overrides.getOrDefault(name, PolicyOverride.NONE).then(change));
        return new PolicySet(catalog, fileSections, filterOrder, next);
    }

    public Map<String, PolicyOverride> overrides() {
        return overrides;
    }

    public PolicyOverride override(String name) {
        return overrides.getOrDefault(name, PolicyOverride.NONE);
    }

    /** Every filter in run order, enabled or not. */
    public List<Configured<HostFilter>> filters() {
        return filters;
    }

    /** Every weigher, enabled or not. */
    public List<Configured<HostWeigher>> weighers() {
        return weighers;
    }

    public Optional<PolicySettings> settings(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every policy's settings: filters in run order, then weighers. */
    public List<PolicySettings> all() {
        List<PolicySettings> out = new ArrayList<>();
        filters.forEach(c -> out.add(c.settings()));
        weighers.forEach(c -> out.add(c.settings()));
        return out;
    }

    public PolicyCatalog catalog() {
        return catalog;
    }
}
