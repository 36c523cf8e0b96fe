package io.placewise.service.config;

/** A configuration that cannot be used; the message names the file, section and key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
