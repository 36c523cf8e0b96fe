package io.placewise.migrator.agent.profiler.traffic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the kernel's connection-tracking table of this network namespace over netlink (a
 * {@code NETLINK_NETFILTER} socket, the {@code ctnetlink} dump {@code conntrack -L} makes), with
 * libc through JNA. Needs {@code CAP_NET_ADMIN}; byte counters need
 * {@code net.netfilter.nf_conntrack_acct = 1}.
 */
public final class NetlinkConntrack implements FlowSource {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_NETFILTER = 12;
    static final int IPCTNL_MSG_CT_GET = 1;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_DUMP = 0x300;
    static final int RECV_BUFFER = 1 << 17;
    private static final AtomicInteger SEQ = new AtomicInteger(1);

    /** The libc calls used. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        int recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;

    private static LibC libc() {
        if (libc == null) {
            libc = Native.load("c", LibC.class);
        }
        return libc;
    }

    /** Every tracked connection now. @throws IllegalStateException when the table cannot be read */
    @Override
    public List<ConntrackFlow> flows() {
        List<ConntrackFlow> out = new ArrayList<>();
        dump(null).forEach(out::addAll);
        return out;
    }

    /** The raw datagrams of one dump, each prefixed by its length (what the unit tests replay). */
    public byte[] rawDump() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        dump(raw);
        return raw.toByteArray();
    }

    private List<List<ConntrackFlow>> dump(ByteArrayOutputStream raw) {
        LibC c = libc();
        int fd;
        try {
            fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot open a netfilter netlink socket (errno " + e.getErrorCode() + ")", e);
        }
        try {
            int seq = SEQ.getAndIncrement();
            byte[] request = request(seq);
            byte[] kernel = new byte[12]; // sockaddr_nl {nl_family, nl_pad, nl_pid = 0, nl_groups = 0}
            ByteBuffer.wrap(kernel).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK);
            c.sendto(fd, request, request.length, 0, kernel, kernel.length);
            byte[] buf = new byte[RECV_BUFFER];
            List<List<ConntrackFlow>> parts = new ArrayList<>();
            for (int i = 0; i < 1_000_000; i++) {
                int n = c.recv(fd, buf, buf.length, 0);
                if (n <= 0) {
                    break;
                }
                if (raw != null) {
                    ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(n);
                    raw.write(len.array(), 0, 4);
                    raw.write(buf, 0, n);
                }
                ConntrackDump.Part part = ConntrackDump.parse(buf, n);
                if (part.error() != 0) {
                    throw new IllegalStateException("the kernel refused the conntrack dump (errno " + part.error() + ")");
                }
                parts.add(part.flows());
                if (part.done()) {
                    break;
                }
            }
            return parts;
        } catch (LastErrorException e) {
            throw new IllegalStateException("conntrack dump failed (errno " + e.getErrorCode() + ")", e);
        } finally {
            try {
                c.close(fd);
            } catch (LastErrorException e) {
                // nothing to do
            }
        }
    }

    /** nlmsghdr + nfgenmsg of a dump of every family's connections. */
    static byte[] request(int seq) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putInt(20);
        b.putShort((short) ((ConntrackDump.NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET));
        b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
        b.putInt(seq);
        b.putInt(0);
        b.put((byte) 0); // nfgen_family AF_UNSPEC: IPv4 and IPv6
        b.put((byte) 0); // NFNETLINK_V0
        b.putShort((short) 0); // res_id (network order; 0)
        return b.array();
    }

    /**
     * Prints this namespace's tracked connections with their byte counters (what the profiler
     * reads); with a file argument, also writes the raw dump there (test fixtures).
     */
    public static void main(String[] args) throws java.io.IOException {
        byte[] raw = new NetlinkConntrack().rawDump();
        if (args.length > 0) {
            java.nio.file.Files.write(java.nio.file.Path.of(args[0]), raw);
        }
        for (ConntrackFlow f : replay(raw)) {
            System.out.printf("proto=%d zone=%d %s:%d -> %s:%d orig_bytes=%d reply_bytes=%d%n", f.protocol(), f.zone(),
                    f.src().getHostAddress(), f.srcPort(), f.dst().getHostAddress(), f.dstPort(), f.origBytes(), f.replyBytes());
        }
    }

    /** Replays a {@link #rawDump()}: length-prefixed datagrams. */
    public static List<ConntrackFlow> replay(byte[] raw) {
        List<ConntrackFlow> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        while (b.remaining() >= 4) {
            int n = b.getInt();
            byte[] d = new byte[n];
            b.get(d);
            out.addAll(ConntrackDump.parse(d, n).flows());
        }
        return out;
    }
}
