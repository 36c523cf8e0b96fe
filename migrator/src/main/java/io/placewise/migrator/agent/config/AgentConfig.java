package io.placewise.migrator.agent.config;

import io.placewise.migrator.MigratorConfig;
import io.placewise.service.config.AuthConfig;
import io.placewise.service.http.HttpLimits;
import java.nio.file.Path;

/**
 * The agent's typed configuration, read from {@code placewise-migrator.conf} (same INI style and
 * {@code [DEFAULT]}/{@code [auth]} keys as the bridge's).
 *
 * @param libvirtUri            {@code [libvirt] uri}: this host's hypervisor, e.g. {@code qemu:///system}
 * @param cgroupRoot            {@code [libvirt] cgroup_root}: the cpu controller's mount, for CPU caps during a migration
 * @param runner                the {@code [migrator]} knobs of the migration runner
 * @param defaultMaxDowntimeMs  {@code [migrator] max_downtime_ms}: used when an order names none
 * @param guestToleratesSlowing {@code [migrator] guest_tolerates_slowing}: lets {@code auto} pick CPU throttling
 * @param orphanedJobs          {@code [migrator] orphaned_jobs}: adopt or abort what a previous process left running
 * @param profiler              the {@code [profiler]} section
 * @param http                  the {@code [http]} section: request size limits, body timeout, worker threads
 */
public record AgentConfig(String bindHost, int bindPort, String databaseUrl, String databaseUser,
                          String databasePassword, int databasePoolSize, AuthConfig auth, String libvirtUri,
                          Path cgroupRoot, MigratorConfig runner, long defaultMaxDowntimeMs,
                          boolean guestToleratesSlowing, OrphanedJobs orphanedJobs, ProfilerConfig profiler,
                          HttpLimits http) {

    public AgentConfig {
        http = http == null ? HttpLimits.DEFAULT : http;
    }

    /** This configuration listening elsewhere and on another database (tests, tools). */
    public AgentConfig withEndpoint(String host, int port, String dbUrl) {
        return new AgentConfig(host, port, dbUrl, databaseUser, databasePassword, databasePoolSize, auth, libvirtUri,
                cgroupRoot, runner, defaultMaxDowntimeMs, guestToleratesSlowing, orphanedJobs, profiler, http);
    }

    public AgentConfig withRunner(MigratorConfig newRunner) {
        return new AgentConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                libvirtUri, cgroupRoot, newRunner, defaultMaxDowntimeMs, guestToleratesSlowing, orphanedJobs, profiler, http);
    }

    public AgentConfig withProfiler(ProfilerConfig newProfiler) {
        return new AgentConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                libvirtUri, cgroupRoot, runner, defaultMaxDowntimeMs, guestToleratesSlowing, orphanedJobs, newProfiler, http);
    }

    public AgentConfig withOrphanedJobs(OrphanedJobs policy) {
        return new AgentConfig(bindHost, bindPort, databaseUrl, databaseUser, databasePassword, databasePoolSize, auth,
                libvirtUri, cgroupRoot, runner, defaultMaxDowntimeMs, guestToleratesSlowing, policy, profiler, http);
    }
}
