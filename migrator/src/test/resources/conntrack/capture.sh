#!/bin/bash
# dump-lab.bin is labA's table in the two-host lab (tests/lab, guests g1/g2 of LabTrafficTest on labA),
# written by `ip netns exec labA java -cp migrator/target/placewise-migrator.jar
# io.placewise.migrator.agent.profiler.traffic.NetlinkConntrack dump-lab.bin`.
#
# How dump-bridged.bin was captured (as root; run from the repository root after `mvn -pl migrator -am package -DskipTests`).
# A "host" network namespace with a Linux bridge and conntrack on bridged traffic (br_netfilter and an
# nftables forward rule, as Neutron's hybrid firewall has it), two "VMs" on the bridge and a "remote"
# peer behind it; known amounts of traffic; then the host's conntrack table read over netlink by
# NetlinkConntrack (dump-bridged.bin) and by conntrack-tools (dump-bridged.txt) for comparison.
set -euo pipefail
OUT=$(cd "$(dirname "$0")" && pwd)
H=fdsH; NS=(fdsV1 fdsV2 fdsR); IP=([0]=10.99.0.11 [1]=10.99.0.12 [2]=10.99.0.21)
cleanup() { for n in $H "${NS[@]}"; do ip netns del $n 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup
ip netns add $H
ip netns exec $H ip link add br0 type bridge
ip netns exec $H ip link set br0 up
for i in 0 1 2; do
  n=${NS[$i]}; ip netns add $n
  ip link add ${n}-a netns $H type veth peer name eth0 netns $n
  ip netns exec $H ip link set ${n}-a master br0 up
  ip netns exec $n ip addr add ${IP[$i]}/24 dev eth0
  ip netns exec $n ip link set eth0 up
  ip netns exec $n ip link set lo up
done
ip netns exec $H sysctl -qw net.netfilter.nf_conntrack_acct=1
ip netns exec $H sysctl -qw net.bridge.bridge-nf-call-iptables=1
ip netns exec $H nft -f - <<'NFT'
table inet placewise_capture {
  chain forward { type filter hook forward priority 0; ct state new,established,related counter accept; }
}
NFT
send() { # ns, dst, proto, port, bytes
  ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "$4" "$5" <<'PY'
import socket, sys, time
dst, proto, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if proto == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("", 40000 + port % 1000))
    chunk = b"x" * 1000
    for _ in range(n // 1000): s.sendto(chunk, (dst, port))
else:
    s = socket.create_connection((dst, port)); s.sendall(b"y" * n); s.shutdown(socket.SHUT_WR); s.recv(1); s.close()
PY
}
sink_tcp() { # ns, port, reply bytes
  ip netns exec "$1" /usr/bin/python3 - "$2" "$3" <<'PY' &
import socket, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("", int(sys.argv[1]))); srv.listen(1)
c, _ = srv.accept()
while c.recv(65536): pass
c.sendall(b"z" * int(sys.argv[2])); c.close()
PY
  sleep 0.5
}
send fdsV1 10.99.0.12 udp 5001 200000     # VM1 -> VM2: IDC, one-way UDP
send fdsV1 10.99.0.21 udp 5002 300000     # VM1 -> remote: NIC
sink_tcp fdsV1 6001 50000
send fdsV2 10.99.0.11 tcp 6001 400000     # VM2 -> VM1 TCP 400 kB, VM1 answers 50 kB: IDC both ways
wait
CP="$(ls migrator/target/placewise-migrator.jar 2>/dev/null || true)"
ip netns exec $H java -cp "$CP" io.placewise.migrator.agent.profiler.traffic.NetlinkConntrack "$OUT/dump-bridged.bin"
ip netns exec $H conntrack -L -o extended > "$OUT/dump-bridged.txt" 2>&1
cat "$OUT/dump-bridged.txt"
