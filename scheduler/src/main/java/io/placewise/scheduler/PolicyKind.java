package io.placewise.scheduler;

import java.util.Locale;

/** Where a policy plugs in. */
public enum PolicyKind {
    FILTER, WEIGHER, BALANCER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
