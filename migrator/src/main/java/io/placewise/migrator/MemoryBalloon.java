package io.placewise.migrator;

/**
 * The balloon of the domains on this host (seed 004 §3.4.1: grow a swapping VM's memory before
 * migrating it): the current memory a running domain has, within the maximum it was defined
 * with. Separate from {@link Hypervisor}, whose port is only what migrations need. Throws
 * {@link NoSuchDomainException} for an unknown domain, {@link HypervisorRefusedException} when the
 * hypervisor refuses for this domain (no balloon device), {@link HypervisorException} otherwise.
 */
public interface MemoryBalloon {
    /** The running domain's current and maximum memory. */
    DomainMemory memory(String domain);

    /**
     * Sets the running domain's current memory to {@code mib} (at most its maximum), live and, for a
     * persistent domain, in its definition too, so the change survives a restart of the guest.
     * Returns the memory as the hypervisor reports it afterwards (the guest's balloon driver
     * follows the new target within seconds).
     */
    DomainMemory setCurrentMemory(String domain, long mib);
}
