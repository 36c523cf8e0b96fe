package io.placewise.scheduler;

/** A host a filter turned away, and why. */
public record Rejection(String host, String filter, String reason) {
}
