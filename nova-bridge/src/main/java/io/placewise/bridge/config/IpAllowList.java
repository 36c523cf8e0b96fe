package io.placewise.bridge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Literal IP addresses and CIDR blocks (IPv4 and IPv6) that a peer address is matched against.
 * Host names are refused: trusting a name would make a DNS answer an authentication decision.
 */
public final class IpAllowList {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private record Block(byte[] network, int prefix) {
        /** By content (a record compares its array by identity). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Block b && b.prefix == prefix && java.util.Arrays.equals(b.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            return java.util.Arrays.toString(network) + "/" + prefix;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private IpAllowList(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param entries {@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}
     * @throws IllegalArgumentException naming the first entry that is not a literal address or block
     */
    public static IpAllowList parse(List<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            int slash = e.indexOf('/');
            String addr = slash < 0 ? e : e.substring(0, slash);
            byte[] bytes = literal(addr).orElseThrow(() ->
                    new IllegalArgumentException("'" + raw + "' is not an IP address or CIDR block (host names are not allowed)"));
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + raw + "': prefix must be 0.." + bits);
                }
            }
            out.add(new Block(bytes, prefix));
        }
        return new IpAllowList(out);
    }

    private static java.util.Optional<byte[]> literal(String addr) {
        if (!IPV4.matcher(addr).matches() && !IPV6.matcher(addr).matches()) {
            return java.util.Optional.empty();
        }
        try {
            // A literal: getByName parses it without a DNS lookup.
            return java.util.Optional.of(InetAddress.getByName(addr).getAddress());
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** True when the literal peer address lies in one of the blocks; false for anything unparsable. */
    public boolean allows(String peerAddress) {
        if (peerAddress == null || blocks.isEmpty()) {
            return false;
        }
        String a = peerAddress.startsWith("[") && peerAddress.endsWith("]")
                ? peerAddress.substring(1, peerAddress.length() - 1) : peerAddress;
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        var bytes = literal(a);
        if (bytes.isEmpty()) {
            return false;
        }
        byte[] b = bytes.get();
        return blocks.stream().anyMatch(x -> x.contains(b));
    }
}
