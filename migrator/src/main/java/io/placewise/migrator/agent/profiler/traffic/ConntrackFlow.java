package io.placewise.migrator.agent.profiler.traffic;

import java.net.InetAddress;

/**
 * One connection the kernel tracks, with its accounting counters: the original direction
 * ({@code src} → {@code dst}, the side that opened it) and the reply direction. Counters are
 * cumulative over the connection's life and present only with {@code net.netfilter.nf_conntrack_acct = 1}.
 *
 * @param id   the kernel's connection id ({@code CTA_ID}), unique while the connection lives
 * @param zone the conntrack zone (Open vSwitch's firewall puts each port's flows in its own)
 */
public record ConntrackFlow(long id, int zone, int protocol, InetAddress src, InetAddress dst, int srcPort, int dstPort,
                            long origBytes, long replyBytes) {

    /** What identifies the connection across two dumps. */
    public record Key(long id, int zone, int protocol, InetAddress src, InetAddress dst, int srcPort, int dstPort) {
    }

    public Key key() {
        return new Key(id, zone, protocol, src, dst, srcPort, dstPort);
    }
}
