package io.placewise.sim.trace;

/** A trace that cannot be replayed at all (no directory, no file, no usable line); the message says where. */
public final class TraceException extends RuntimeException {
    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
