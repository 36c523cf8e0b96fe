package io.placewise.bridge.store;

/** The database failed; the request that caused it changed nothing. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
