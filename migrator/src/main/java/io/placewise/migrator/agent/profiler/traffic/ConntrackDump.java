package io.placewise.migrator.agent.profiler.traffic;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the kernel's answer to a ctnetlink dump ({@code IPCTNL_MSG_CT_GET} with {@code NLM_F_DUMP}
 * on a {@code NETLINK_NETFILTER} socket), as {@code conntrack -L} receives it: netlink messages
 * ({@code nlmsghdr}, host byte order), each an {@code nfgenmsg} and nested attributes in network
 * byte order: {@code CTA_TUPLE_ORIG} (addresses, protocol, ports), {@code CTA_COUNTERS_ORIG},
 * {@code CTA_COUNTERS_REPLY}, {@code CTA_ZONE}, {@code CTA_ID}. Layout from the kernel's
 * {@code include/uapi/linux/netfilter/nfnetlink_conntrack.h}.
 */
public final class ConntrackDump {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NFNL_SUBSYS_CTNETLINK = 1;
    static final int NLA_TYPE_MASK = 0x3fff;
    // enum ctattr_type
    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_COUNTERS_ORIG = 9;
    static final int CTA_COUNTERS_REPLY = 10;
    static final int CTA_ID = 12;
    static final int CTA_ZONE = 18;
    // enum ctattr_tuple, ctattr_ip, ctattr_l4proto, ctattr_counters
    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;
    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;
    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    static final int CTA_COUNTERS_BYTES = 2;
    static final int CTA_COUNTERS32_BYTES = 4;

    /** The end of a dump was seen, or the kernel refused it. */
    public record Part(List<ConntrackFlow> flows, boolean done, int error) {
    }

    private ConntrackDump() {
    }

    /**
     * Parses one datagram of a dump (several netlink messages).
     *
     * @throws IllegalArgumentException for bytes that are not netlink messages
     */
    public static Part parse(byte[] datagram, int length) {
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        List<ConntrackFlow> flows = new ArrayList<>();
        boolean done = false;
        int error = 0;
        while (b.remaining() >= 16) {
            int start = b.position();
            int len = b.getInt(start);
            int type = Short.toUnsignedInt(b.getShort(start + 4));
            if (len < 16 || start + len > length) {
                throw new IllegalArgumentException("netlink message of length " + len + " at " + start + " overruns " + length);
            }
            if (type == NLMSG_DONE) {
                done = true;
            } else if (type == NLMSG_ERROR) {
                error = -b.getInt(start + 16);
                done = true;
            } else if ((type >> 8) == NFNL_SUBSYS_CTNETLINK) {
                ConntrackFlow f = flow(b, start + 16 + 4, start + len);
                if (f != null) {
                    flows.add(f);
                }
            }
            b.position(start + align(len));
        }
        return new Part(flows, done, error);
    }

    private static ConntrackFlow flow(ByteBuffer b, int from, int to) {
        long id = 0;
        int zone = 0;
        long origBytes = 0;
        long replyBytes = 0;
        Tuple tuple = null;
        for (int p = from; p + 4 <= to; ) {
            int alen = Short.toUnsignedInt(b.getShort(p));
            int atype = Short.toUnsignedInt(b.getShort(p + 2)) & NLA_TYPE_MASK;
            if (alen < 4 || p + alen > to) {
                break;
            }
            int v = p + 4;
            int vlen = alen - 4;
            switch (atype) {
                case CTA_TUPLE_ORIG -> tuple = tuple(b, v, v + vlen);
                case CTA_COUNTERS_ORIG -> origBytes = counter(b, v, v + vlen);
                case CTA_COUNTERS_REPLY -> replyBytes = counter(b, v, v + vlen);
                case CTA_ID -> id = Integer.toUnsignedLong(be32(b, v));
                case CTA_ZONE -> zone = be16(b, v);
                default -> { }
            }
            p += align(alen);
        }
        if (tuple == null || tuple.src == null || tuple.dst == null) {
            return null;
        }
        return new ConntrackFlow(id, zone, tuple.protocol, tuple.src, tuple.dst, tuple.srcPort, tuple.dstPort,
                origBytes, replyBytes);
    }

    private static final class Tuple {
        InetAddress src;
        InetAddress dst;
        int protocol;
        int srcPort;
        int dstPort;
    }

    private static Tuple tuple(ByteBuffer b, int from, int to) {
        Tuple t = new Tuple();
        for (int p = from; p + 4 <= to; ) {
            int alen = Short.toUnsignedInt(b.getShort(p));
            int atype = Short.toUnsignedInt(b.getShort(p + 2)) & NLA_TYPE_MASK;
            if (alen < 4 || p + alen > to) {
                break;
            }
            int v = p + 4;
            int end = p + alen;
            for (int q = v; q + 4 <= end; ) {
                int ilen = Short.toUnsignedInt(b.getShort(q));
                int itype = Short.toUnsignedInt(b.getShort(q + 2)) & NLA_TYPE_MASK;
                if (ilen < 4 || q + ilen > end) {
                    break;
                }
                int iv = q + 4;
                if (atype == CTA_TUPLE_IP) {
                    switch (itype) {
                        case CTA_IP_V4_SRC, CTA_IP_V6_SRC -> t.src = address(b, iv, ilen - 4);
                        case CTA_IP_V4_DST, CTA_IP_V6_DST -> t.dst = address(b, iv, ilen - 4);
                        default -> { }
                    }
                } else if (atype == CTA_TUPLE_PROTO) {
                    switch (itype) {
                        case CTA_PROTO_NUM -> t.protocol = Byte.toUnsignedInt(b.get(iv));
                        case CTA_PROTO_SRC_PORT -> t.srcPort = be16(b, iv);
                        case CTA_PROTO_DST_PORT -> t.dstPort = be16(b, iv);
                        default -> { }
                    }
                }
                q += align(ilen);
            }
            p += align(alen);
        }
        return t;
    }

    private static long counter(ByteBuffer b, int from, int to) {
        for (int p = from; p + 4 <= to; ) {
            int alen = Short.toUnsignedInt(b.getShort(p));
            int atype = Short.toUnsignedInt(b.getShort(p + 2)) & NLA_TYPE_MASK;
            if (alen < 4 || p + alen > to) {
                break;
            }
            if (atype == CTA_COUNTERS_BYTES && alen >= 12) {
                return ((long) be32(b, p + 4) << 32) | Integer.toUnsignedLong(be32(b, p + 8));
            }
            if (atype == CTA_COUNTERS32_BYTES && alen >= 8) {
                return Integer.toUnsignedLong(be32(b, p + 4));
            }
            p += align(alen);
        }
        return 0;
    }

    private static InetAddress address(ByteBuffer b, int at, int len) {
        if (len != 4 && len != 16) {
            return null;
        }
        byte[] raw = new byte[len];
        for (int i = 0; i < len; i++) {
            raw[i] = b.get(at + i);
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int be16(ByteBuffer b, int at) {
        return (Byte.toUnsignedInt(b.get(at)) << 8) | Byte.toUnsignedInt(b.get(at + 1));
    }

    private static int be32(ByteBuffer b, int at) {
        return (be16(b, at) << 16) | be16(b, at + 2);
    }

    static int align(int len) {
        return (len + 3) & ~3;
    }
}
