package io.placewise.migrator.agent.profiler.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.placewise.migrator.agent.profiler.traffic.InterVmTraffic.Idc;
import io.placewise.migrator.agent.profiler.traffic.InterVmTraffic.Nic;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IDC / NIC split and per-peer rates from the real dump of ConntrackDumpTest: VM1 (10.99.0.11) and
 * VM2 (10.99.0.12) on this host, 10.99.0.21 elsewhere. The dump's byte counts are on the wire
 * (IP and UDP/TCP headers included).
 */
class InterVmTrafficTest {
    static final Map<InetAddress, String> LOCAL = Map.of(ip("10.99.0.11"), "vm1", ip("10.99.0.12"), "vm2");

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<ConntrackFlow> dump() throws Exception {
        return NetlinkConntrack.replay(ConntrackDumpTest.resource("dump-bridged.bin"));
    }

    static double mbps(long bytes, double seconds) {
        return bytes * 8 / 1e6 / seconds;
    }

    @Test
    void eachVmsTrafficPerPeerSplitIntoIdcAndNic() throws Exception {
        InterVmTraffic meter = new InterVmTraffic();
        meter.measure(List.of(), LOCAL, 2); // the baseline: no connection yet
        InterVmTraffic.Result r = meter.measure(dump(), LOCAL, 2);

        // vm1 sent 205,600 B of UDP to vm2 and answered vm2's TCP with 50,996 B; vm2 sent vm1 401,152 B.
        assertThat(r.idc()).hasSize(2);
        assertThat(r.idc().get(0)).extracting(Idc::src, Idc::dst).containsExactly("vm1", "vm2");
        assertThat(r.idc().get(0).mbps()).isCloseTo(mbps(205_600 + 50_996, 2), within(1e-9));
        assertThat(r.idc().get(1)).extracting(Idc::src, Idc::dst).containsExactly("vm2", "vm1");
        assertThat(r.idc().get(1).mbps()).isCloseTo(mbps(401_152, 2), within(1e-9));
        // vm1 sent 308,400 B to a peer off the host.
        assertThat(r.nic()).containsExactly(new Nic("vm1", ip("10.99.0.21"), mbps(308_400, 2)));
    }

    @Test
    void theNextIntervalCountsOnlyWhatEachConnectionCarriedSince() throws Exception {
        InterVmTraffic meter = new InterVmTraffic();
        meter.measure(List.of(), LOCAL, 1);
        List<ConntrackFlow> first = dump();
        meter.measure(first, LOCAL, 1);
        // 10 s later: the UDP flow to the remote carried 1,028,000 B more; nothing else moved.
        List<ConntrackFlow> later = first.stream().map(f -> f.dst().equals(ip("10.99.0.21"))
                ? new ConntrackFlow(f.id(), f.zone(), f.protocol(), f.src(), f.dst(), f.srcPort(), f.dstPort(),
                f.origBytes() + 1_028_000, f.replyBytes()) : f).toList();

        InterVmTraffic.Result r = meter.measure(later, LOCAL, 10);

        assertThat(r.idc()).isEmpty();
        assertThat(r.nic()).containsExactly(new Nic("vm1", ip("10.99.0.21"), mbps(1_028_000, 10)));
    }

    @Test
    void theFirstReadingIsOnlyABaseline() throws Exception {
        InterVmTraffic.Result r = new InterVmTraffic().measure(dump(), LOCAL, 1);
        assertThat(r.idc()).isEmpty();
        assertThat(r.nic()).isEmpty();
    }

    @Test
    void oneConnectionInTwoZonesCountsOnceAndAReusedIdStartsOver() throws Exception {
        InterVmTraffic meter = new InterVmTraffic();
        ConntrackFlow a = new ConntrackFlow(1, 1, 6, ip("10.99.0.11"), ip("10.99.0.12"), 1000, 80, 100_000, 0);
        ConntrackFlow b = new ConntrackFlow(2, 2, 6, ip("10.99.0.11"), ip("10.99.0.12"), 1000, 80, 100_000, 0);
        meter.measure(List.of(a, b), LOCAL, 1);
        ConntrackFlow a2 = new ConntrackFlow(1, 1, 6, ip("10.99.0.11"), ip("10.99.0.12"), 1000, 80, 225_000, 0);
        ConntrackFlow b2 = new ConntrackFlow(2, 2, 6, ip("10.99.0.11"), ip("10.99.0.12"), 1000, 80, 225_000, 0);
        assertThat(meter.measure(List.of(a2, b2), LOCAL, 1).idc()).containsExactly(new Idc("vm1", "vm2", mbps(125_000, 1)));

        // Counters went backwards: the kernel reused the id for a new connection, counted from 0.
        ConntrackFlow reused = new ConntrackFlow(1, 1, 6, ip("10.99.0.11"), ip("10.99.0.12"), 1000, 80, 12_500, 0);
        assertThat(meter.measure(List.of(reused), LOCAL, 1).idc()).containsExactly(new Idc("vm1", "vm2", mbps(12_500, 1)));
    }

    /**
     * dump-lab.bin: labA's table in the two-host lab (tests/lab) with guests g1 (10.77.0.101) and g2
     * (10.77.0.102) on labA exchanging UDP, read by NetlinkConntrack inside labA, beside the
     * libvirt and migration connections of the lab bridge's address: only the guests' flow is VM traffic.
     */
    @Test
    void theLabHostsTableGivesTheGuestsIdcAndNothingForLibvirtsConnections() throws Exception {
        List<ConntrackFlow> lab = NetlinkConntrack.replay(ConntrackDumpTest.resource("dump-lab.bin"));
        assertThat(lab).hasSizeGreaterThan(10);
        Map<InetAddress, String> guests = Map.of(ip("10.77.0.101"), "g1", ip("10.77.0.102"), "g2");
        InterVmTraffic meter = new InterVmTraffic();
        meter.measure(List.of(), guests, 1);

        InterVmTraffic.Result r = meter.measure(lab, guests, 1);

        assertThat(r.idc()).containsExactly(new Idc("g1", "g2", mbps(6_382_852, 1)), new Idc("g2", "g1", mbps(3_525_012, 1)));
        assertThat(r.nic()).isEmpty();
    }

    @Test
    void trafficNoLocalVmSentIsNotAttributed() throws Exception {
        InterVmTraffic meter = new InterVmTraffic();
        meter.measure(List.of(), Map.of(), 1);
        InterVmTraffic.Result r = meter.measure(dump(), Map.of(), 1);
        assertThat(r.idc()).isEmpty();
        assertThat(r.nic()).isEmpty();
    }
}
