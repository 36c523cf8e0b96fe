package io.placewise.precopy;

/**
 * The unit convention of the pre-copy model (seed 003 §3) and of every migration figure Placewise
 * reports. Memory sizes are binary, as Nova's {@code memory_mb} and libvirt are: 1 MB = 1 MiB =
 * 2^20 bytes, 1 KB = 1 KiB = 1024 bytes. Rates are network rates, decimal: 1 Mbit/s = 10^6 bit/s,
 * as NICs, libvirt's {@code memory_bps}×8 and the paper's "1 Gbit/s network" are quoted.
 * So 1 MiB = 8.388608 Mbit; mixing the two without converting is a 4.9 % error.
 */
public final class DataUnits {
    /** Mbit in one MiB: 2^20 bytes × 8 bit / 10^6. */
    public static final double MBIT_PER_MIB = 1_048_576.0 * 8 / 1_000_000.0;
    /** Mbit in one KiB. */
    public static final double MBIT_PER_KIB = 1024.0 * 8 / 1_000_000.0;
    /** Bytes in one MiB. */
    public static final long BYTES_PER_MIB = 1L << 20;

    private DataUnits() {
    }

    public static double mibToMbit(double mib) {
        return mib * MBIT_PER_MIB;
    }

    public static double mbitToMib(double mbit) {
        return mbit / MBIT_PER_MIB;
    }

    public static double kibToMbit(double kib) {
        return kib * MBIT_PER_KIB;
    }

    public static double bytesToMib(double bytes) {
        return bytes / BYTES_PER_MIB;
    }

    /** A byte rate (libvirt's {@code memory_bps}) in Mbit/s. */
    public static double bytesPerSecondToMbps(double bytesPerSecond) {
        return bytesPerSecond * 8 / 1_000_000.0;
    }

    /** A MiB/s rate (libvirt's {@code bandwidth} and dirty-rate figures) in Mbit/s. */
    public static double mibPerSecondToMbps(double mibPerSecond) {
        return mibPerSecond * MBIT_PER_MIB;
    }

    /** A Mbit/s rate in MiB/s (what libvirt's migration {@code bandwidth} parameter takes). */
    public static double mbpsToMibPerSecond(double mbps) {
        return mbps / MBIT_PER_MIB;
    }
}
