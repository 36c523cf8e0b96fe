package io.placewise.scheduler;

/** A policy threw or returned nonsense while deciding; names the policy. */
public class PolicyFailureException extends RuntimeException {
    private final String policy;

    public PolicyFailureException(String policy, String message, Throwable cause) {
        super("policy " + policy + " failed: " + message, cause);
        this.policy = policy;
    }

    public String policy() {
        return policy;
    }
}
