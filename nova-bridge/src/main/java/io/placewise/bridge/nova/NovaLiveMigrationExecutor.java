package io.placewise.bridge.nova;

import io.placewise.bridge.migration.MigrationExecutor;
import io.placewise.bridge.novasemantics.NovaHost;
import io.placewise.bridge.novasemantics.NovaHostNames;
import io.placewise.bridge.nova.NovaResources.Migration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MigrationExecutor} through Nova: {@code os-migrateLive} with the destination host and
 * {@code block_migration: auto}; progress from {@code GET /servers/{id}/migrations} while the
 * migration runs and from {@code GET /os-migrations} once it has left that list; abort with
 * {@code DELETE /servers/{id}/migrations/{mid}}. The strategy cannot be chosen per migration in
 * Nova (nova-compute's libvirt settings decide), so it is only recorded.
 */
public final class NovaLiveMigrationExecutor implements MigrationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(NovaLiveMigrationExecutor.class);
    public static final String NAME = "nova";

    private final NovaClient nova;
    private final Clock clock;
    /** Handle id → Nova's migration id, learnt at the first poll that sees it. */
    private final Map<String, String> migrationIds = new ConcurrentHashMap<>();

    public NovaLiveMigrationExecutor(NovaClient nova, Clock clock) {
        this.nova = nova;
        this.clock = clock;
    }

    /** Identifies a started migration; {@code id} is Nova's server id (one live migration per server at a time). */
    public record Handle(String executor, String id, String vm, String source, String destination, String strategy,
                         Instant startedAt) {
    }

    /** Nova's migration states in the migrator agent's vocabulary (API.md). */
    public enum State {
        QUEUED, RUNNING, COMPLETED, FAILED, ABORTED;

        public boolean done() {
            return this == COMPLETED || this == FAILED || this == ABORTED;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A snapshot of the migration; byte counters are null while Nova does not report them. */
    public record Progress(State state, Long memoryTotalBytes, Long memoryProcessedBytes, Long memoryRemainingBytes,
                           Long diskTotalBytes, Long diskProcessedBytes, Long diskRemainingBytes, String detail) {
        public boolean done() {
            return state.done();
        }

        public static Progress of(State state, String detail) {
            return new Progress(state, null, null, null, null, null, null, detail);
        }
    }

    /** The balancer's executor call: asks Nova to live-migrate; the handle is the server id. */
    @Override
    public String start(Request r) throws MigrationException {
        try {
            return start(r.vm(), r.source(), r.destination(), r.strategy()).id();
        } catch (RuntimeException e) {
            throw new MigrationException("Nova did not start the live migration of " + r.vm() + ": " + e.getMessage(), e);
        }
    }

    /** The balancer's executor call: the migration's state and Nova's progress counters. */
    @Override
    public Status status(Request r, String handle) throws MigrationException {
        Progress p;
        try {
            p = poll(new Handle(NAME, handle, r.vm(), r.source(), r.destination(), r.strategy(), clock.instant()));
        } catch (RuntimeException e) {
            throw new MigrationException("Nova did not report the live migration of " + r.vm() + ": " + e.getMessage(), e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("detail", p.detail());
        putIfKnown(result, "memory_total_bytes", p.memoryTotalBytes());
        putIfKnown(result, "memory_processed_bytes", p.memoryProcessedBytes());
        putIfKnown(result, "memory_remaining_bytes", p.memoryRemainingBytes());
        putIfKnown(result, "disk_total_bytes", p.diskTotalBytes());
        putIfKnown(result, "disk_processed_bytes", p.diskProcessedBytes());
        putIfKnown(result, "disk_remaining_bytes", p.diskRemainingBytes());
        boolean failed = p.state() == State.FAILED || p.state() == State.ABORTED;
        return new Status(p.state().wireName(), result, failed ? p.detail() : null);
    }

    private static void putIfKnown(Map<String, Object> m, String key, Long value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /**
     * @throws NovaApiException.Conflict when Nova refuses now (e.g. the server is already migrating)
     */
    /**
     * Asks Nova to live-migrate {@code vm} to {@code destination}; {@code strategy} is recorded and
     * left to nova-compute's configuration.
     */
    public Handle start(String vm, String source, String destination, String strategy) {
        String target = serviceHost(destination);
        nova.liveMigrate(vm, target);
        LOG.info("live migration of {} from {} to {} requested from Nova (strategy '{}' is left to nova-compute)",
                vm, source, target.equals(destination) ? destination : destination + " (Nova host " + target + ")", strategy);
        // Nova's server id is the handle: one live migration per server at a time.
        return new Handle(NAME, vm, vm, source, destination, strategy, clock.instant());
    }

    /** Nova's name for a host Placewise may know by its hypervisor hostname ({@link NovaHostNames}). */
    private String serviceHost(String destination) {
        try {
            return NovaHostNames.serviceHost(destination, nova.hypervisors().stream()
                    .map(h -> new NovaHost(h.host(), h.hypervisorHostname())).toList());
        } catch (RuntimeException e) {
            LOG.warn("Nova's hypervisor list is unavailable ({}); asking to migrate to '{}' as named", e.getMessage(), destination);
            return destination;
        }
    }

    /** The migration's state now; once done it no longer changes. */
    public Progress poll(Handle handle) {
        List<Migration> running = nova.migrationsInProgress(handle.vm());
        String known = migrationIds.get(handle.id());
        Optional<Migration> current = running.stream()
                .filter(m -> known == null ? handle.destination().equals(m.destCompute()) : known.equals(m.id()))
                .findFirst();
        if (current.isEmpty() && known == null && running.size() == 1) {
            current = Optional.of(running.get(0));
        }
        if (current.isPresent()) {
            Migration m = current.get();
            migrationIds.putIfAbsent(handle.id(), m.id());
            return progress(m, state(m.status()));
        }
        if (known == null) {
            // Nova creates the migration record asynchronously after the 202: not there yet.
            return Progress.of(State.QUEUED, "waiting for Nova to create the migration");
        }
        Optional<Migration> record = nova.migrationRecord(handle.vm(), known);
        if (record.isEmpty()) {
            return Progress.of(State.FAILED, "Nova no longer lists migration " + known + " of server " + handle.vm());
        }
        Migration m = record.get();
        State s = state(m.status());
        if (s.done()) {
            migrationIds.remove(handle.id());
        }
        return progress(m, s);
    }

    /**
     * Polls every {@code [nova] poll_interval_s} until the migration ends; aborts it after
     * {@code migration_timeout_s} and reports that as FAILED.
     */
    public Progress await(Handle handle) throws InterruptedException {
        Duration interval = Duration.ofMillis((long) (nova.config().pollIntervalS() * 1000));
        java.time.Instant deadline = handle.startedAt().plusMillis((long) (nova.config().migrationTimeoutS() * 1000));
        boolean aborting = false;
        while (true) {
            Progress p = poll(handle);
            if (p.done()) {
                return aborting && p.state() == State.ABORTED
                        ? Progress.of(State.FAILED, "timed out after " + nova.config().migrationTimeoutS() + " s; aborted")
                        : p;
            }
            if (!aborting && clock.instant().isAfter(deadline) && p.state() == State.RUNNING) {
                LOG.warn("live migration of {} still running after {} s: aborting", handle.vm(), nova.config().migrationTimeoutS());
                abort(handle);
                aborting = true;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /**
     * @throws IllegalStateException when no migration of the server is in progress
     * @throws NovaApiException      when Nova refuses the abort (e.g. 400 in a status it cannot abort)
     */
    public void abort(Handle handle) {
        String id = migrationIds.get(handle.id());
        if (id == null) {
            id = nova.migrationsInProgress(handle.vm()).stream().map(Migration::id).findFirst().orElseThrow(() ->
                    new IllegalStateException("no live migration of server " + handle.vm() + " is in progress"));
            migrationIds.put(handle.id(), id);
        }
        nova.abortMigration(handle.vm(), id);
        LOG.info("abort of live migration {} of server {} requested", id, handle.vm());
    }

    /** Nova's migration statuses (nova/objects/migration.py) in the migrator's vocabulary. */
    static State state(String novaStatus) {
        String s = novaStatus == null ? "" : novaStatus.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "queued", "accepted", "preparing", "pre-migrating" -> State.QUEUED;
            case "completed", "done", "finished", "confirmed" -> State.COMPLETED;
            case "cancelled" -> State.ABORTED;
            case "error", "failed" -> State.FAILED;
            // running, post-migrating, cancelling: still moving
            default -> State.RUNNING;
        };
    }

    private static Progress progress(Migration m, State s) {
        return new Progress(s, m.memoryTotalBytes(), m.memoryProcessedBytes(), m.memoryRemainingBytes(),
                m.diskTotalBytes(), m.diskProcessedBytes(), m.diskRemainingBytes(), "nova migration " + m.id() + ": " + m.status());
    }
}
