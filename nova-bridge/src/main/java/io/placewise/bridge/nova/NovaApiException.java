package io.placewise.bridge.nova;

/**
 * Nova or Keystone refused a call, or could not be reached. The message carries Nova's own
 * explanation (its fault body), never a token or a password.
 */
public class NovaApiException extends RuntimeException {
    private final int status;

    public NovaApiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came (connection failure). */
    public int status() {
        return status;
    }

    /**
     * 409: the server is busy with something else (e.g. its task state is already migrating).
     * Retrying blindly would only repeat the conflict; the caller decides.
     */
    public static final class Conflict extends NovaApiException {
        public Conflict(String message) {
            super(409, message, null);
        }
    }

    /** Keystone refused the credentials, or Nova refused a fresh token. */
    public static final class Unauthorized extends NovaApiException {
        public Unauthorized(int status, String message) {
            super(status, message, null);
        }
    }

    /** 5xx or connection errors persisted through every retry. */
    public static final class Unavailable extends NovaApiException {
        public Unavailable(int status, String message, Throwable cause) {
            super(status, message, cause);
        }
    }
}
