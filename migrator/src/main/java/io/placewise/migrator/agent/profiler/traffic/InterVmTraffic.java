package io.placewise.migrator.agent.profiler.traffic;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measured traffic between VMs from two readings of the kernel's connection counters (seed 004
 * §3.3 needs each VM's traffic per peer): the bytes each connection carried since the previous
 * reading, attributed to the VM that sent them (the original direction is sent by the tuple's
 * source, the reply by its destination), split into
 * <ul>
 * <li><b>IDC</b>: both ends are VMs of this host (the traffic never leaves the host's bridge), and</li>
 * <li><b>NIC</b>: the peer is elsewhere (another host's VM, or anything off the host); it is
 *     reported by the peer's address, which the bridge resolves to a VM when another host's
 *     agent reports that address.</li>
 * </ul>
 * A connection seen for the first time counts from 0 (it opened during the interval), except in
 * the very first reading, which only sets the baseline. The same connection tracked in several
 * zones (Open vSwitch's firewall keeps one per port) counts once.
 */
public final class InterVmTraffic {
    /** Traffic one local VM sent to another local VM, Mbit/s. */
    public record Idc(String src, String dst, double mbps) {
    }

    /** Traffic one local VM sent to an address off this host, Mbit/s. */
    public record Nic(String src, InetAddress peer, double mbps) {
    }

    public record Result(List<Idc> idc, List<Nic> nic) {
    }

    private record Tuple(int protocol, InetAddress src, InetAddress dst, int srcPort, int dstPort) {
    }

    private Map<ConntrackFlow.Key, long[]> last;

    /**
     * @param flows    the connections now
     * @param localVms this host's VMs by address
     * @param seconds  time since the previous reading
     */
    public synchronized Result measure(List<ConntrackFlow> flows, Map<InetAddress, String> localVms, double seconds) {
        Map<ConntrackFlow.Key, long[]> now = new HashMap<>(flows.size() * 2);
        Map<Tuple, long[]> delta = new HashMap<>();
        boolean baseline = last == null;
        for (ConntrackFlow f : flows) {
            now.put(f.key(), new long[] {f.origBytes(), f.replyBytes()});
            if (baseline) {
                continue;
            }
            long[] before = last.get(f.key());
            long orig = before == null ? f.origBytes() : f.origBytes() - before[0];
            long reply = before == null ? f.replyBytes() : f.replyBytes() - before[1];
            if (orig < 0 || reply < 0) { // the kernel reused the id: a new connection
                orig = f.origBytes();
                reply = f.replyBytes();
            }
            long[] d = delta.computeIfAbsent(new Tuple(f.protocol(), f.src(), f.dst(), f.srcPort(), f.dstPort()), k -> new long[2]);
            d[0] = Math.max(d[0], orig); // one connection in several zones counts once
            d[1] = Math.max(d[1], reply);
        }
        last = now;
        Map<List<String>, Long> idc = new LinkedHashMap<>();
        Map<Map.Entry<String, InetAddress>, Long> nic = new LinkedHashMap<>();
        for (var e : delta.entrySet()) {
            Tuple t = e.getKey();
            String srcVm = localVms.get(t.src());
            String dstVm = localVms.get(t.dst());
            add(idc, nic, srcVm, dstVm, t.dst(), e.getValue()[0]);
            add(idc, nic, dstVm, srcVm, t.src(), e.getValue()[1]);
        }
        double s = Math.max(seconds, 1e-3);
        List<Idc> idcOut = new ArrayList<>();
        idc.forEach((k, bytes) -> idcOut.add(new Idc(k.get(0), k.get(1), bytes * 8 / 1e6 / s)));
        List<Nic> nicOut = new ArrayList<>();
        nic.forEach((k, bytes) -> nicOut.add(new Nic(k.getKey(), k.getValue(), bytes * 8 / 1e6 / s)));
        idcOut.sort(java.util.Comparator.comparing(Idc::src).thenComparing(Idc::dst));
        nicOut.sort(java.util.Comparator.comparing(Nic::src).thenComparing(n -> n.peer().getHostAddress()));
        return new Result(idcOut, nicOut);
    }

    /** {@code bytes} sent by {@code sender} (a local VM or null) to {@code receiverVm} (local) or {@code receiverAddress}. */
    private static void add(Map<List<String>, Long> idc, Map<Map.Entry<String, InetAddress>, Long> nic, String sender,
                            String receiverVm, InetAddress receiverAddress, long bytes) {
        if (sender == null || bytes <= 0) {
            return;
        }
        if (receiverVm != null) {
            if (!Objects.equals(sender, receiverVm)) {
                idc.merge(List.of(sender, receiverVm), bytes, Long::sum);
            }
        } else {
            nic.merge(Map.entry(sender, receiverAddress), bytes, Long::sum);
        }
    }
}
