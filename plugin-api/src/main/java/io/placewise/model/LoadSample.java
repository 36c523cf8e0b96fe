package io.placewise.model;

import java.time.Instant;

/** One profiler report of a host's load (seed 004 §3.4.1). */
public record LoadSample(Instant at, double cpuUtil, double memUtil, double swapWritesPerS, double nicUtil) {
}
