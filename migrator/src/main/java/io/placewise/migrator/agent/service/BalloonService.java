package io.placewise.migrator.agent.service;

import io.placewise.migrator.DomainMemory;
import io.placewise.migrator.MemoryBalloon;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows or shrinks a running VM's memory through its balloon (seed 004 §3.4.1: the balancer's
 * {@code grow_memory} step gives a swapping VM memory before it considers moving it), within the
 * maximum the domain was defined with. Not while the domain migrates: libvirt would hold the call
 * on the migration's job lock, and the VM is about to leave.
 */
public final class BalloonService {
    private static final Logger LOG = LoggerFactory.getLogger(BalloonService.class);

    private final MemoryBalloon balloon;
    private final MigrationService migrations;

    public BalloonService(MemoryBalloon balloon, MigrationService migrations) {
        this.balloon = balloon;
        this.migrations = migrations;
    }

    /**
     * @throws io.placewise.migrator.NoSuchDomainException            when the domain is not running here
     * @throws BeyondMaximumException                                 when {@code targetMib} exceeds its maximum
     * @throws MigrationService.DomainBusyException                   while it has a migration queued or running
     * @throws io.placewise.migrator.HypervisorRefusedException when the hypervisor refuses (no balloon device)
     */
    public DomainMemory setCurrentMemory(String domain, long targetMib) {
        Optional<String> migration = migrations.migrationOf(domain);
        if (migration.isPresent()) {
            throw new MigrationService.DomainBusyException("domain '" + domain + "' has migration " + migration.get()
                    + " queued or running; its memory is not changed meanwhile");
        }
        DomainMemory before = balloon.memory(domain);
        if (targetMib > before.maxMib()) {
            throw new BeyondMaximumException(before);
        }
        DomainMemory after = balloon.setCurrentMemory(domain, targetMib);
        LOG.info("memory of {}: balloon target {} MiB (was {} MiB, maximum {} MiB)", domain, targetMib,
                before.currentMib(), before.maxMib());
        return after;
    }

    /** The target is above the domain's maximum memory. */
    public static final class BeyondMaximumException extends RuntimeException {
        private final transient DomainMemory memory;

        BeyondMaximumException(DomainMemory memory) {
            super("domain '" + memory.domain() + "' has at most " + memory.maxMib() + " MiB");
            this.memory = memory;
        }

        public DomainMemory memory() {
            return memory;
        }
    }
}
