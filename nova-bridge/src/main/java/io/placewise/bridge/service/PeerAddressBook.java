package io.placewise.bridge.service;

import io.placewise.bridge.api.ClusterDtos.NicTrafficDto;
import io.placewise.bridge.api.ClusterDtos.SampleDto;
import io.placewise.bridge.api.ClusterDtos.TrafficDto;
import io.placewise.bridge.api.ClusterDtos.VmDto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names the peers of NIC traffic. An agent sees the VMs of its own host by their libvirt
 * interface addresses and the peers of their NIC traffic by address only; each agent reports its
 * VMs' addresses, so the bridge, which hears from every host, turns {@code nic_traffic} to an
 * address into {@code traffic} to the VM that has it. Kept in memory: the agents repeat their
 * addresses every interval, so a restarted bridge knows them again within one.
 */
public final class PeerAddressBook {
    private final Map<String, String> vmByAddress = new HashMap<>();
    private final Map<String, String> hostByAddress = new HashMap<>();
    private final Map<String, Set<String>> addressesByHost = new HashMap<>();

    /** Learns the addresses the report's VMs have, and returns it with its NIC traffic named where possible. */
    public synchronized SampleDto resolve(String host, SampleDto report) {
        if (report == null) {
            return null;
        }
        if (report.vms() != null) {
            // This host's addresses of before, unless another host has reported them since (a VM moved).
            for (String a : addressesByHost.getOrDefault(host, Set.of())) {
                if (host.equals(hostByAddress.get(a))) {
                    vmByAddress.remove(a);
                    hostByAddress.remove(a);
                }
            }
            Set<String> now = new java.util.HashSet<>();
            for (VmDto v : report.vms()) {
                if (v != null && v.addresses() != null && v.id() != null) {
                    for (String a : v.addresses()) {
                        vmByAddress.put(a, v.id());
                        hostByAddress.put(a, host);
                        now.add(a);
                    }
                }
            }
            addressesByHost.put(host, now);
        }
        if (report.nicTraffic() == null) {
            return report;
        }
        Set<String> own = addressesByHost.getOrDefault(host, Set.of());
        Map<List<String>, Double> named = new java.util.LinkedHashMap<>();
        for (NicTrafficDto t : report.nicTraffic()) {
            if (t == null || t.peerAddress() == null || own.contains(t.peerAddress())) {
                continue;
            }
            String peer = vmByAddress.get(t.peerAddress());
            if (peer != null && t.src() != null && t.mbps() != null && !peer.equals(t.src())) {
                named.merge(List.of(t.src(), peer), t.mbps(), Double::sum);
            }
        }
        List<TrafficDto> traffic = new ArrayList<>(report.traffic() == null ? List.of() : report.traffic());
        named.forEach((pair, mbps) -> traffic.add(new TrafficDto(pair.get(0), pair.get(1), mbps)));
        return report.withTraffic(report.traffic() == null && named.isEmpty() ? null : traffic);
    }
}
