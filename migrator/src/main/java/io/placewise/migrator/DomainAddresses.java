package io.placewise.migrator;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * The IP addresses of the running domains' interfaces as the hypervisor knows them (libvirt's
 * {@code virDomainInterfaceAddresses}), by domain name: how the profiler tells which VM a tracked
 * connection belongs to. May throw {@link HypervisorException}.
 */
public interface DomainAddresses {
    Map<String, List<InetAddress>> addresses();
}
