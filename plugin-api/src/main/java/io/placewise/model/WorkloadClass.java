package io.placewise.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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

    private static final Map<String, Optional<WorkloadClass>> BY_WIRE_NAME = new HashMap<>();

    static {
        for (WorkloadClass w : values()) {
            BY_WIRE_NAME.put(w.wireName, Optional.of(w));
        }
    }

    /** Parses a wire name ({@code disk_io}); empty when it names no class. */
    public static Optional<WorkloadClass> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        // Exact names first: every profiler sample names a class per VM.
        Optional<WorkloadClass> exact = BY_WIRE_NAME.get(name);
        return exact != null ? exact : BY_WIRE_NAME.getOrDefault(name.trim().toLowerCase(Locale.ROOT), Optional.empty());
    }

    @Override
    public String toString() {
        return wireName;
    }
}
