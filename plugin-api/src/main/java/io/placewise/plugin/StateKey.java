package io.placewise.plugin;

import java.util.Objects;
import java.util.function.Function;

/**
 * A typed key of per-request state (Kubernetes' CycleState, with the type in the key): a value
 * several plugins need, computed on first use from the request's context and then shared by every
 * plugin of the request through {@link PlacementContext#state}. The key carries how the value is
 * computed, so all plugins read the same value and none can write a different one. Keys compare by
 * identity: declare each as a constant.
 */
public final class StateKey<T> {
    private final String name;
    private final Function<? super PlacementContext, ? extends T> compute;

    private StateKey(String name, Function<? super PlacementContext, ? extends T> compute) {
        this.name = Objects.requireNonNull(name, "name");
        this.compute = Objects.requireNonNull(compute, "compute");
    }

    /**
     * A key whose value {@code compute} derives from a request's context. The value lives for the
     * whole request, all its instances: it must not depend on the request's own claims (read those
     * live through the context).
     */
    public static <T> StateKey<T> of(String name, Function<? super PlacementContext, ? extends T> compute) {
        return new StateKey<>(name, compute);
    }

    public String name() {
        return name;
    }

    /** Computes the value for {@code context}; the context caches it, plugins call {@link PlacementContext#state}. */
    public T computeFor(PlacementContext context) {
        return Objects.requireNonNull(compute.apply(context), () -> "state " + name + " computed null");
    }

    @Override
    public String toString() {
        return name;
    }
}
