package io.placewise.balancer.execution;

import io.placewise.precopy.MigrationStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What carries out the steps of a plan: the migrator agents' REST API (API.md "Migrator agent") or
 * Nova's live-migrate API. The {@link PlanExecutor} decides when; an implementation only talks to its
 * remote side and says, for every failure, whether asking again may help.
 */
public interface MigrationExecutor {

    /**
     * One live migration to order.
     *
     * @param strategy          what to ask for; {@link MigrationStrategy#AUTO} lets the agent decide from
     *                          its own fresh measurement at the point of migration
     * @param toleratesSlowing  the guest may be CPU-throttled (seed 003 Eq. 9)
     */
    record Order(String vm, String source, String destination, MigrationStrategy strategy, boolean toleratesSlowing) {
    }

    /** A migration's state on the remote side, in the migrator agent's vocabulary. */
    enum RemoteState {
        QUEUED, RUNNING, COMPLETED, FAILED, ABORTED;

        public boolean terminal() {
            return this == COMPLETED || this == FAILED || this == ABORTED;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param handle  a refined handle to keep instead of the one asked with (e.g. once Nova's migration
     *                id is known), or null
     * @param result  the executor's own fields (rounds, downtime, byte counters, ...)
     */
    record Status(RemoteState state, String handle, Map<String, Object> result, String error) {
        public Status {
            result = result == null ? Map.of() : result;
        }
    }

    /** A short name for logs and records: {@code migrator} or {@code nova}. */
    String name();

    /** How often a running migration is asked. */
    Duration pollInterval();

    /** How long a migration may run before it is aborted. */
    Duration migrationTimeout();

    /** Orders the migration; returns the executor's handle for it. */
    String start(Order order) throws ExecutorException;

    /** The migration's state now. */
    Status status(Order order, String handle) throws ExecutorException;

    /**
     * Asks the executor to stop the migration, leaving the VM on its source.
     *
     * @return false when it cannot be stopped now (post-copy, already over); the migration then runs on
     */
    boolean abort(Order order, String handle) throws ExecutorException;

    /**
     * After a restart that lost the handle: the executor's migration of this order created at or after
     * {@code since}, if it has one.
     */
    Optional<String> find(Order order, Instant since) throws ExecutorException;

    /**
     * Sets the VM's current memory on its host to {@code targetMb} (a balloon step, seed 004 §3.3).
     *
     * @return the memory the VM has been given (its balloon reaches it within seconds)
     * @throws UnsupportedOperationException when this executor has no such call
     */
    default long growMemory(String vm, String host, long targetMb) throws ExecutorException {
        throw new UnsupportedOperationException(name() + " cannot change a VM's memory");
    }

    /** The executor could not start or follow a migration; the message says why (never a token). */
    final class ExecutorException extends Exception {
        private final boolean transientFailure;

        private ExecutorException(String message, Throwable cause, boolean transientFailure) {
            super(message, cause);
            this.transientFailure = transientFailure;
        }

        /** The remote side did not answer (connection, timeout, 5xx): asking again may help. */
        public static ExecutorException unreachable(String message, Throwable cause) {
            return new ExecutorException(message, cause, true);
        }

        /** The remote side answered no (4xx, malformed answer): asking again will not help. */
        public static ExecutorException refused(String message, Throwable cause) {
            return new ExecutorException(message, cause, false);
        }

        public boolean transientFailure() {
            return transientFailure;
        }
    }
}
