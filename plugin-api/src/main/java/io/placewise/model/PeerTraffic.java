package io.placewise.model;

/** Traffic the VM being placed will exchange with an existing VM, Mbit/s. */
public record PeerTraffic(String peer, double mbps) {
}
