package io.placewise.migrator.agent.profiler.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ctnetlink parser on a real dump (resources conntrack/: captured by capture.sh from a bridged
 * namespace with known traffic), checked against what conntrack-tools printed for the same table.
 */
class ConntrackDumpTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ConntrackDumpTest.class.getResourceAsStream("/conntrack/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The flows `conntrack -L -o extended` listed: original tuple and both directions' bytes. */
    static List<ConntrackFlow> conntrackTools(String text) throws Exception {
        List<ConntrackFlow> out = new ArrayList<>();
        Pattern p = Pattern.compile("^ipv4\\s+2\\s+\\w+\\s+(\\d+) .*?src=(\\S+) dst=(\\S+) sport=(\\d+) dport=(\\d+) "
                + "packets=\\d+ bytes=(\\d+) .*?src=\\S+ dst=\\S+ sport=\\d+ dport=\\d+ packets=\\d+ bytes=(\\d+)", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(new ConntrackFlow(0, 0, Integer.parseInt(m.group(1)), InetAddress.getByName(m.group(2)),
                    InetAddress.getByName(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Long.parseLong(m.group(6)), Long.parseLong(m.group(7))));
        }
        return out;
    }

    static ConntrackFlow withoutId(ConntrackFlow f) {
        return new ConntrackFlow(0, f.zone(), f.protocol(), f.src(), f.dst(), f.srcPort(), f.dstPort(), f.origBytes(), f.replyBytes());
    }

    @Test
    void aRealDumpParsesToWhatConntrackToolsPrinted() throws Exception {
        List<ConntrackFlow> flows = NetlinkConntrack.replay(resource("dump-bridged.bin"));
        List<ConntrackFlow> expected = conntrackTools(new String(resource("dump-bridged.txt"), StandardCharsets.UTF_8));

        assertThat(expected).hasSize(3);
        assertThat(flows).extracting(ConntrackDumpTest::withoutId).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(flows).allSatisfy(f -> assertThat(f.id()).isPositive());
        assertThat(flows).extracting(ConntrackFlow::key).doesNotHaveDuplicates();
    }

    @Test
    void theDumpRequestIsACtnetlinkGetWithDump() {
        byte[] r = NetlinkConntrack.request(7);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r).order(java.nio.ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(20);
        assertThat(b.getShort(4)).isEqualTo((short) 0x0101); // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET
        assertThat(b.getShort(6)).isEqualTo((short) 0x0301); // NLM_F_REQUEST | NLM_F_DUMP
        assertThat(b.getInt(8)).isEqualTo(7);
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNotMisread() throws Exception {
        byte[] raw = resource("dump-bridged.bin");
        int first = java.nio.ByteBuffer.wrap(raw).getInt();
        byte[] datagram = java.util.Arrays.copyOfRange(raw, 4, 4 + first);
        assertThatThrownBy(() -> ConntrackDump.parse(datagram, datagram.length - 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConntrackDump.parse(new byte[8], 8).flows()).isEmpty();
    }
}
