package io.placewise.migrator.agent.profiler.traffic;

import java.util.List;

/** Where the profiler reads the host's tracked connections from ({@link NetlinkConntrack} on a compute node). */
public interface FlowSource {
    /** @throws IllegalStateException when the connections cannot be read */
    List<ConntrackFlow> flows();
}
