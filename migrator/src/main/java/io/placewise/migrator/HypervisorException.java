package io.placewise.migrator;

/** A hypervisor call failed; the message is the hypervisor's own (libvirt's error text). */
public class HypervisorException extends RuntimeException {
    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
