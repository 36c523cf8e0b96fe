package io.placewise.plugin;

/**
 * A policy parameter that cannot be used; {@link #param()} names it, so callers report the field
 * without parsing the message. Policies throw it from {@code validate} for the same reason.
 */
public class ParamException extends IllegalArgumentException {
    private final String param;

    public ParamException(String param, String message) {
        super(param + ": " + message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
