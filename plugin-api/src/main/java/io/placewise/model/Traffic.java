package io.placewise.model;

import java.util.Objects;

/** Measured traffic between two VMs in Mbit/s; A→B and B→A both count as A–B traffic. */
public record Traffic(String src, String dst, double mbps) {
    public Traffic {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
    }
}
