package io.placewise.bridge.config;

/** What a token may do (API.md "Auth"). */
public enum Role {
    /** GET only. */
    READER,
    /** GET, the scheduling hooks and profiler samples. */
    SERVICE,
    /** Everything. */
    ADMIN;

    public boolean covers(Role needed) {
        return this.ordinal() >= needed.ordinal();
    }
}
