package io.placewise.bridge.nova;

import io.placewise.balancer.execution.MigrationExecutor;
import io.placewise.bridge.nova.NovaResources.Migration;
import io.placewise.bridge.nova.NovaResources.Server;
import io.placewise.bridge.novasemantics.NovaHost;
import io.placewise.bridge.novasemantics.NovaHostNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MigrationExecutor} through Nova: {@code os-migrateLive} with the destination host and
 * {@code block_migration: auto}. The strategy cannot be chosen per migration in Nova
 * (nova-compute's libvirt settings decide), so it is only recorded.
 *
 * <p>Nova's migration record is found in {@code GET /os-migrations} (every status, errored ones
 * included), not in {@code GET /servers/{id}/migrations}, which lists only migrations in progress:
 * a migration that the conductor errors before it starts (NoValidHost) is never in progress, and
 * following only that list waited for it until the timeout. The handle remembers the newest
 * migration id the server had before the order, so the record is the first one after it.
 *
 * <p>A migration is over within two polls when it errored (first poll that sees it), when the server
 * is gone (404), or when Nova has no record of it and the server is not migrating (second poll).
 * Aborting is {@code DELETE /servers/{id}/migrations/{mid}}, and {@code force_complete} when Nova
 * refuses the abort in the migration's status.
 */
public final class NovaLiveMigrationExecutor implements MigrationExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(NovaLiveMigrationExecutor.class);
    public static final String NAME = "nova";
    /** Polls without a record (or after it vanished) before the migration counts as gone. */
    static final int MISSES_TO_GIVE_UP = 2;

    private final NovaClient nova;
    /** Consecutive polls of a handle that found no record. */
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();

    public NovaLiveMigrationExecutor(NovaClient nova) {
        this.nova = nova;
    }

    /**
     * Which migration a step is: the server, and either Nova's migration id or the newest id before the
     * order (the step's migration is the first after it). Text form {@code server=…;migration=…} or
     * {@code server=…;after=…}.
     */
    record Handle(String server, String migrationId, long after) {
        static Handle parse(String s) {
            String server = null;
            String migration = null;
            long after = 0;
            for (String part : s.split(";")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    server = part; // a handle of the previous version: the bare server id
                    continue;
                }
                String k = part.substring(0, eq);
                String v = part.substring(eq + 1);
                switch (k) {
                    case "server" -> server = v;
                    case "migration" -> migration = v;
                    case "after" -> after = Long.parseLong(v);
                    default -> { }
                }
            }
            return new Handle(server, migration, after);
        }

        @Override
        public String toString() {
            return "server=" + server + (migrationId != null ? ";migration=" + migrationId : ";after=" + after);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code [nova] poll_interval_s}. */
    @Override
    public Duration pollInterval() {
        return Duration.ofMillis((long) (nova.config().pollIntervalS() * 1000));
    }

    /** {@code [nova] migration_timeout_s}. */
    @Override
    public Duration migrationTimeout() {
        return Duration.ofMillis((long) (nova.config().migrationTimeoutS() * 1000));
    }

    @Override
    public String start(Order o) throws ExecutorException {
        long before = call(() -> nova.liveMigrations(o.vm()).stream().mapToLong(Migration::numericId).max().orElse(0),
                "list the live migrations of server " + o.vm());
        String target = serviceHost(o.destination());
        call(() -> {
            nova.liveMigrate(o.vm(), target);
            return null;
        }, "start the live migration of " + o.vm() + " to " + target);
        LOG.info("live migration of {} from {} to {} requested from Nova (strategy '{}' is left to nova-compute)",
                o.vm(), o.source(), target.equals(o.destination()) ? target : o.destination() + " (Nova host " + target + ")",
                o.strategy().wireName());
        return new Handle(o.vm(), null, before).toString();
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

    @Override
    public Status status(Order o, String handleText) throws ExecutorException {
        Handle h = Handle.parse(handleText);
        List<Migration> all = call(() -> nova.liveMigrations(h.server()), "list the live migrations of server " + h.server());
        Optional<Migration> ours = h.migrationId() != null
                ? all.stream().filter(m -> h.migrationId().equals(m.id())).findFirst()
                // One live migration per server at a time (Nova answers 409 to a second): the first record after
                // the order is this one, whatever name Nova gives its destination.
                : all.stream().filter(m -> m.numericId() > h.after()).min(Comparator.comparingLong(Migration::numericId));
        if (ours.isPresent()) {
            misses.remove(handleText);
            Migration m = ours.get();
            RemoteState state = state(m.status());
            Handle known = new Handle(h.server(), m.id(), h.after());
            Map<String, Object> result = result(m);
            if (state == RemoteState.RUNNING) {
                progress(h.server(), m.id(), result);
            }
            String error = state == RemoteState.FAILED || state == RemoteState.ABORTED
                    ? "Nova ended live migration " + m.id() + " of server " + h.server() + " in status '" + m.status() + "'"
                    + (state == RemoteState.FAILED ? " (the reason is in the server's events: openstack server event list "
                    + h.server() + ")" : "") : null;
            return new Status(state, known.toString(), result, error);
        }
        Optional<Server> server = call(() -> nova.server(h.server()), "read server " + h.server());
        if (server.isEmpty()) {
            misses.remove(handleText);
            return new Status(RemoteState.FAILED, null, Map.of(), "server " + h.server() + " no longer exists in Nova");
        }
        boolean migrating = server.get().taskState() != null && !server.get().taskState().isBlank()
                && !"null".equals(server.get().taskState());
        int miss = misses.merge(handleText, 1, Integer::sum);
        if (h.migrationId() != null && miss >= MISSES_TO_GIVE_UP) {
            misses.remove(handleText);
            return new Status(RemoteState.FAILED, null, Map.of(), "Nova no longer lists live migration " + h.migrationId()
                    + " of server " + h.server() + " (it is on " + server.get().host() + ")");
        }
        if (h.migrationId() == null && !migrating && miss >= MISSES_TO_GIVE_UP) {
            misses.remove(handleText);
            return new Status(RemoteState.FAILED, null, Map.of(), "Nova has no live migration of server " + h.server()
                    + " since the order and the server is not migrating (on " + server.get().host() + ", status "
                    + server.get().status() + ")");
        }
        // Nova creates the record just after answering 202: not there yet.
        return new Status(h.migrationId() == null ? RemoteState.QUEUED : RemoteState.RUNNING, null,
                Map.of("detail", "waiting for Nova's migration record"), null);
    }

    /** Byte counters from {@code GET /servers/{id}/migrations} while the migration runs (best effort). */
    private void progress(String server, String migrationId, Map<String, Object> result) {
        try {
            nova.migrationsInProgress(server).stream().filter(m -> migrationId.equals(m.id())).findFirst().ifPresent(m -> {
                putIfKnown(result, "memory_total_bytes", m.memoryTotalBytes());
                putIfKnown(result, "memory_processed_bytes", m.memoryProcessedBytes());
                putIfKnown(result, "memory_remaining_bytes", m.memoryRemainingBytes());
                putIfKnown(result, "disk_total_bytes", m.diskTotalBytes());
                putIfKnown(result, "disk_processed_bytes", m.diskProcessedBytes());
                putIfKnown(result, "disk_remaining_bytes", m.diskRemainingBytes());
            });
        } catch (NovaApiException e) {
            LOG.debug("no progress counters for migration {} of {}: {}", migrationId, server, e.getMessage());
        }
    }

    private static Map<String, Object> result(Migration m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("nova_migration_id", m.id());
        r.put("nova_status", m.status());
        if (m.uuid() != null) {
            r.put("nova_migration_uuid", m.uuid());
        }
        return r;
    }

    private static void putIfKnown(Map<String, Object> m, String key, Long value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public boolean abort(Order o, String handleText) throws ExecutorException {
        Handle h = Handle.parse(handleText);
        String id = h.migrationId();
        if (id == null) {
            Status s = status(o, handleText);
            id = s.handle() == null ? null : Handle.parse(s.handle()).migrationId();
            if (id == null) {
                return false;
            }
        }
        String mid = id;
        try {
            nova.abortMigration(h.server(), mid);
            LOG.info("abort of live migration {} of server {} requested from Nova", mid, h.server());
            return true;
        } catch (NovaApiException e) {
            if (e.status() != 400 && e.status() != 409) {
                throw translate(e, "abort live migration " + mid + " of server " + h.server());
            }
            LOG.info("Nova refused to abort live migration {} of server {} ({}); asking it to force-complete", mid,
                    h.server(), e.getMessage());
        }
        try {
            nova.forceCompleteMigration(h.server(), mid);
            LOG.info("force-complete of live migration {} of server {} requested from Nova", mid, h.server());
            return true;
        } catch (NovaApiException e) {
            if (e.status() == 400 || e.status() == 409) {
                LOG.warn("Nova can neither abort nor force-complete live migration {} of server {} now: {}", mid,
                        h.server(), e.getMessage());
                return false;
            }
            throw translate(e, "force-complete live migration " + mid + " of server " + h.server());
        }
    }

    @Override
    public Optional<String> find(Order o, Instant since) throws ExecutorException {
        List<Migration> all = call(() -> nova.liveMigrations(o.vm()), "list the live migrations of server " + o.vm());
        return all.stream().filter(m -> m.createdAt() != null && !m.createdAt().isBefore(since))
                .min(Comparator.comparingLong(Migration::numericId))
                .map(m -> new Handle(o.vm(), m.id(), 0).toString());
    }

    /** Nova's migration statuses (nova/objects/migration.py, compute manager) in the agent's vocabulary. */
    static RemoteState state(String novaStatus) {
        String s = novaStatus == null ? "" : novaStatus.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "accepted", "queued", "preparing", "pre-migrating" -> RemoteState.QUEUED;
            case "completed", "done", "finished", "confirmed" -> RemoteState.COMPLETED;
            case "cancelled" -> RemoteState.ABORTED;
            case "error", "failed" -> RemoteState.FAILED;
            // running, post-migrating, cancelling: still moving
            default -> RemoteState.RUNNING;
        };
    }

    private interface NovaCall<T> {
        T run();
    }

    private static <T> T call(NovaCall<T> c, String what) throws ExecutorException {
        try {
            return c.run();
        } catch (NovaApiException e) {
            throw translate(e, what);
        }
    }

    /** No answer or a 5xx after the client's retries may pass; any other refusal will not. */
    private static ExecutorException translate(NovaApiException e, String what) {
        String msg = "Nova: could not " + what + ": " + e.getMessage();
        return e instanceof NovaApiException.Unavailable || e.status() == 0 || e.status() >= 500
                ? ExecutorException.unreachable(msg, e) : ExecutorException.refused(msg, e);
    }
}
