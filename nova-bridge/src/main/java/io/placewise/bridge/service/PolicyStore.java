package io.placewise.bridge.service;

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
 * overrides. A change is validated, stored, then published; the next request sees it.
 */
public final class PolicyStore {
    private final Database db;
    private final PolicyOverrideRepository repository = new PolicyOverrideRepository();
    private final AtomicReference<PolicySet> current;

    public PolicyStore(Database db, PolicyCatalog catalog, Map<String, Map<String, String>> sections, List<String> filterOrder) {
        this.db = db;
        Map<String, PolicyOverride> stored = db.inTransaction(repository::loadAll);
        // Overrides of policies no longer on the class path are kept in the database but not applied.
        stored.keySet().retainAll(allNames(catalog));
        this.current = new AtomicReference<>(PolicySet.configure(catalog, sections, filterOrder, stored));
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
            return null;
        });
        current.set(next);
        return next;
    }
}
