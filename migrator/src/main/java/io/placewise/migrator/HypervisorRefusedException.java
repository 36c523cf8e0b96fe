package io.placewise.migrator;

/**
 * The hypervisor answered and refused the operation for this domain as it is (libvirt's
 * VIR_ERR_OPERATION_INVALID, unsupported operation or argument): a fact about the domain, not an
 * outage, e.g. a balloon change on a domain without a balloon device.
 */
public class HypervisorRefusedException extends HypervisorException {
    public HypervisorRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
