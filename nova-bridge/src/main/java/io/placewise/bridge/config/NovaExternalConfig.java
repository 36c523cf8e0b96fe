package io.placewise.bridge.config;

import java.util.List;

/**
 * {@code [nova_external]}: how {@code POST /scheduler/nova/external} (SAP's Nova fork) is answered.
 *
 * @param novaWeightMultiplier     Nova's incoming weights, normalised to [0, 1] over the hosts
 *                                 Placewise keeps, are multiplied by this and added to Placewise's
 *                                 weight; 0 ignores Nova's order, negative reverses it
 * @param allowUnauthenticatedFrom IP addresses / CIDR blocks whose direct TCP connections may call
 *                                 that one hook without a token (SAP's fork sends none); empty = off
 */
public record NovaExternalConfig(double novaWeightMultiplier, List<String> allowUnauthenticatedFrom) {
    public NovaExternalConfig {
        allowUnauthenticatedFrom = allowUnauthenticatedFrom == null ? List.of() : List.copyOf(allowUnauthenticatedFrom);
    }

    public static NovaExternalConfig defaults() {
        return new NovaExternalConfig(1.0, List.of());
    }
}
