package io.placewise.scheduler;

import io.placewise.plugin.HostFilter;
import io.placewise.plugin.HostWeigher;
import io.placewise.plugin.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every filter and weigher on the class path, found with {@link ServiceLoader}: a third-party jar
 * that lists its classes in {@code META-INF/services/io.placewise.plugin.HostFilter} (or
 * {@code HostWeigher}) adds policies without touching Placewise.
 */
public final class PolicyCatalog {
    private final Map<String, HostFilter> filters;
    private final Map<String, HostWeigher> weighers;

    public PolicyCatalog(List<HostFilter> filters, List<HostWeigher> weighers) {
        Map<String, HostFilter> f = new LinkedHashMap<>();
        Map<String, HostWeigher> w = new LinkedHashMap<>();
        for (HostFilter filter : filters) {
            putUnique(f, w, filter.name(), filter);
            f.put(filter.name(), filter);
        }
        for (HostWeigher weigher : weighers) {
            putUnique(f, w, weigher.name(), weigher);
            w.put(weigher.name(), weigher);
        }
        this.filters = f;
        this.weighers = w;
    }

    private static void putUnique(Map<String, ?> f, Map<String, ?> w, String name, Policy p) {
        if (f.containsKey(name) || w.containsKey(name)) {
            throw new IllegalStateException("two policies are named '" + name + "' (one is " + p.getClass().getName() + ")");
        }
    }

    /** The policies visible to {@code loader}. */
    public static PolicyCatalog discover(ClassLoader loader) {
        List<HostFilter> f = new ArrayList<>();
        ServiceLoader.load(HostFilter.class, loader).forEach(f::add);
        List<HostWeigher> w = new ArrayList<>();
        ServiceLoader.load(HostWeigher.class, loader).forEach(w::add);
        return new PolicyCatalog(f, w);
    }

    public static PolicyCatalog discover() {
        return discover(PolicyCatalog.class.getClassLoader());
    }

    public Map<String, HostFilter> filters() {
        return filters;
    }

    public Map<String, HostWeigher> weighers() {
        return weighers;
    }

    public Optional<Policy> find(String name) {
        Policy p = filters.get(name);
        return Optional.ofNullable(p != null ? p : weighers.get(name));
    }

    public Optional<PolicyKind> kindOf(String name) {
        if (filters.containsKey(name)) {
            return Optional.of(PolicyKind.FILTER);
        }
        return weighers.containsKey(name) ? Optional.of(PolicyKind.WEIGHER) : Optional.empty();
    }
}
