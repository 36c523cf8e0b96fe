package io.placewise.service.config;

import io.placewise.service.auth.Roles;
import java.util.Optional;

/** What a token may do (API.md "Auth"); each role covers the ones below it. */
public enum Role {
    /** GET only. */
    READER(Roles.READER),
    /** GET, the scheduling hooks and profiler samples. */
    SERVICE(Roles.SERVICE),
    /** Everything. */
    ADMIN(Roles.ADMIN);

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in {@code @RolesAllowed} and in error messages. */
    public String wireName() {
        return wireName;
    }

    public boolean covers(Role needed) {
        return this.ordinal() >= needed.ordinal();
    }

    public static Optional<Role> fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName.equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
