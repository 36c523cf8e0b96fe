package io.placewise.plugin;

/** A filter's answer for one host; a rejection always says why. */
public record Verdict(boolean passed, String reason) {
    public static final Verdict PASS = new Verdict(true, null);

    /** @throws IllegalArgumentException for a rejection without a reason, however it is made */
    public Verdict {
        if (!passed && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a rejection needs a reason");
        }
    }

    public static Verdict pass() {
        return PASS;
    }

    public static Verdict reject(String reason) {
        return new Verdict(false, reason);
    }
}
