package io.placewise.scheduler;

import io.placewise.plugin.PolicyParams;

/** A policy's effective settings. {@code multiplier} is null for filters. */
public record PolicySettings(String name, PolicyKind kind, boolean enabled, Double multiplier, PolicyParams params) {
}
