package io.placewise.bridge.migration;

import java.time.Instant;

/**
 * Performs one live migration the balancer decided on; implemented by Nova
 * ({@code NovaLiveMigrationExecutor}) and, later, by Placewise's own migrator agents.
 * Deliberately small: start, ask how it goes, abort. Callers poll at their own pace; an
 * implementation holds no thread per migration. States follow the migrator agent's
 * {@code GET /v1/migrations/{id}} (API.md): queued, running, completed, failed, aborted.
 */
public interface MigrationExecutor {

    /**
     * Starts moving {@code vm} from {@code source} to {@code destination}.
     *
     * @param strategy the balancer's wish (auto, precopy, postcopy, …); an executor that cannot
     *                 choose (Nova: the compute nodes' configuration decides) records and ignores it
     * @throws RuntimeException when the migration could not be started; nothing is running then
     */
    Handle start(String vm, String source, String destination, String strategy);

    /** The migration's state now; once {@link Progress#done()} it no longer changes. */
    Progress poll(Handle handle);

    /** Asks the hypervisor to stop; the VM keeps running on the source. Poll to see it end. */
    void abort(Handle handle);

    /** Identifies a started migration; {@code id} is the executor's own reference. */
    record Handle(String executor, String id, String vm, String source, String destination, String strategy,
                  Instant startedAt) {
    }

    enum State {
        QUEUED, RUNNING, COMPLETED, FAILED, ABORTED;

        public boolean done() {
            return this == COMPLETED || this == FAILED || this == ABORTED;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A snapshot of the migration. Byte counters are null when the executor does not know them
     * (yet); {@code detail} says why it failed or what the hypervisor reports.
     */
    record Progress(State state, Long memoryTotalBytes, Long memoryProcessedBytes, Long memoryRemainingBytes,
                    Long diskTotalBytes, Long diskProcessedBytes, Long diskRemainingBytes, String detail) {
        public boolean done() {
            return state.done();
        }

        public static Progress of(State state, String detail) {
            return new Progress(state, null, null, null, null, null, null, detail);
        }
    }
}
