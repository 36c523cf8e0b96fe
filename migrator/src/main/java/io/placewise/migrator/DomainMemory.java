package io.placewise.migrator;

/** A running domain's memory as the hypervisor sets it: the balloon's current target and the maximum, MiB. */
public record DomainMemory(String domain, long currentMib, long maxMib) {
}
