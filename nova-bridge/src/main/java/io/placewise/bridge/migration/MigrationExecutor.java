package io.placewise.bridge.migration;

import java.util.Map;

/**
 * Carries out one planned move. The migrator agents' REST API is one implementation
 * ({@link MigratorAgentExecutor}); Nova's live-migrate API is another.
 */
public interface MigrationExecutor {

    /** One live migration to start: the VM, where it is, where it goes, the proposed strategy. */
    record Request(String vm, String source, String destination, String strategy) {
    }

    /**
     * A migration's state as the executor reports it: {@code queued}, {@code running}, {@code completed},
     * {@code failed} or {@code aborted}, the executor's result fields, and the error when it failed.
     */
    record Status(String state, Map<String, Object> result, String error) {
        public boolean finished() {
            return "completed".equals(state) || "failed".equals(state) || "aborted".equals(state);
        }
    }

    /** Starts the migration; returns the executor's handle for it. */
    String start(Request request) throws MigrationException;

    /** The migration's current state. */
    Status status(Request request, String handle) throws MigrationException;

    /**
     * Gives the VM {@code amountMb} more memory on its host (a balloon step). The migrator agent API has
     * no such call yet, so by default the step cannot be carried out.
     */
    default void growMemory(String vm, String host, long amountMb) throws MigrationException {
        throw new UnsupportedOperationException("this executor cannot resize a VM's memory");
    }

    /** The executor could not start or follow a migration; the message says why (never a token). */
    final class MigrationException extends Exception {
        public MigrationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
