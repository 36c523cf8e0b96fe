package io.placewise.plugin;

import java.util.List;

/**
 * A placement policy found with {@link java.util.ServiceLoader}. Its {@link #name()} is the
 * section of {@code placewise.conf} that configures it and its name in {@code GET /v1/policies}.
 * Implementations must be stateless and thread-safe: per-request state belongs in what
 * {@code prepare} returns.
 */
public interface Policy {
    /** The policy's name; by default the simple class name (Nova's convention). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** One line: the rule and where it comes from. */
    String description();

    /** Whether the policy runs when the configuration has no section for it. */
    default boolean enabledByDefault() {
        return true;
    }

    /** The parameters this policy reads, with types and defaults; others are refused. */
    default List<ParamSpec> parameters() {
        return List.of();
    }

    /**
     * Checks a complete set of parameter values beyond their types (a matrix that must parse,
     * a range between two values). Called on start-up and before a PATCH is stored.
     *
     * @throws IllegalArgumentException saying what is wrong; a {@link ParamException} names the parameter
     */
    default void validate(PolicyParams params) {
    }
}
