package io.placewise.migrator;

/** The hypervisor has no domain of that name (libvirt's VIR_ERR_NO_DOMAIN). */
public class NoSuchDomainException extends HypervisorException {
    public NoSuchDomainException(String message, Throwable cause) {
        super(message, cause);
    }
}
