package io.placewise.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The workload classes of seed 002 §3.2 (Table 2), named as on the wire. */
public enum WorkloadClass {
    CPU("cpu"),
    MEMORY("memory"),
    DISK_IO("disk_io"),
    NET_RX("net_rx"),
    WEB("web"),
    MIXED("mixed");

    private final String wireName;

    WorkloadClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name ({@code disk_io}); empty when it names no class. */
    public static Optional<WorkloadClass> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(w -> w.wireName.equals(n)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
