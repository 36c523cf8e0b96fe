package io.placewise.bridge.service;

import io.placewise.bridge.ha.SharedChange;
import io.placewise.bridge.ha.SharedChanges;
import io.placewise.service.store.Database;
import io.placewise.bridge.store.PolicyOverrideRepository;
import io.placewise.scheduler.PolicyCatalog;
import io.placewise.scheduler.PolicyOverride;
import io.placewise.scheduler.PolicySet;
import io.placewise.scheduler.PolicySettings;
import io.placewise.model.HotspotDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The effective policy configuration: the config file's sections plus the operator's stored
 * overrides. A change is validated, stored, then published; the next request sees it. Another
 * bridge's change on the same database is read back by name ({@link #reload}).
 */
public final class PolicyStore {
    private final Database db;
    private final PolicyOverrideRepository repository = new PolicyOverrideRepository();
    private final AtomicReference<PolicySet> current;
    private final PolicyCatalog catalog;
    private final Map<String, Map<String, String>> sections;
    private final List<String> filterOrder;
    private volatile SharedChanges shared = SharedChanges.NONE;

    public PolicyStore(Database db, PolicyCatalog catalog, Map<String, Map<String, String>> sections, List<String> filterOrder) {
        this.db = db;
        this.catalog = catalog;
        this.sections = sections;
        this.filterOrder = filterOrder;
        this.current = new AtomicReference<>(configured(db.inTransaction(repository::loadAll)));
    }

    private PolicySet configured(Map<String, PolicyOverride> stored) {
        // Overrides of policies no longer on the class path are kept in the database but not applied.
        stored.keySet().retainAll(allNames(catalog));
        return PolicySet.configure(catalog, sections, filterOrder, stored);
    }

    /** Every change from now on tells the other bridges which policy it changed. */
    public void shareThrough(SharedChanges changes) {
        this.shared = changes;
    }

    /**
     * Another bridge changed the overrides of {@code names} (null: any): reads them back and publishes
     * the result.
     */
    public synchronized void reload(java.util.Set<String> names) {
        if (names == null) {
            current.set(configured(db.inTransaction(repository::loadAll)));
            return;
        }
        Map<String, PolicyOverride> overrides = new java.util.LinkedHashMap<>(current.get().overrides());
        for (String name : names) {
            java.util.Optional<PolicyOverride> stored = db.inTransaction(c -> repository.load(c, name));
            if (stored.isPresent()) {
                overrides.put(name, stored.get());
            } else {
                overrides.remove(name);
            }
        }
        current.set(configured(overrides));
    }

    private static List<String> allNames(PolicyCatalog catalog) {
        List<String> names = new ArrayList<>(catalog.filters().keySet());
        names.addAll(catalog.weighers().keySet());
        return names;
    }

    public PolicySet current() {
        return current.get();
    }

    /** The hotspot rule with the HotspotFilter's thresholds as configured now (one rule for filter, balancer and console). */
    public HotspotDetector hotspotDetector() {
        return HotspotDetector.of(current.get().settings(HotspotDetector.POLICY).map(PolicySettings::params));
    }

    /**
     * @throws io.placewise.scheduler.PolicyConfigException when the change is invalid (nothing stored)
     * @throws java.util.NoSuchElementException when no policy has that name
     */
    public synchronized PolicySet patch(String name, PolicyOverride change) {
        PolicySet next = current.get().withOverride(name, change);
        db.inTransaction(c -> {
            repository.save(c, name, next.override(name));
            shared.announce(c, SharedChange.policy(name));
            return null;
        });
        current.set(next);
        return next;
    }
}
