package io.placewise.plugin;

/**
 * A policy parameter that cannot be used; {@link #param()} names it, so callers report the field
 * without parsing the message. Policies throw it from {@code validate} for the same reason.
 */
public class ParamException extends IllegalArgumentException {
    private final String param;
    private final String reason;

    public ParamException(String param, String message) {
        super(param + ": " + message);
        this.param = param;
        this.reason = message;
    }

    /** What is wrong with the value, without the parameter's name. */
    public String reason() {
        return reason;
    }

    public String param() {
        return param;
    }
}
