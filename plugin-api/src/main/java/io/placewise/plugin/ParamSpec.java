package io.placewise.plugin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A policy parameter: its name in the config section, type, default and meaning. */
public record ParamSpec(String name, Type type, String defaultValue, String description,
                        double min, double max) {

    /** Parameter types; lists are comma-separated in the INI file. */
    public enum Type { DOUBLE, INTEGER, BOOLEAN, STRING, LIST }

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }

    public static ParamSpec number(String name, double defaultValue, double min, double max, String description) {
        return new ParamSpec(name, Type.DOUBLE, Double.toString(defaultValue), description, min, max);
    }

    public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParamSpec(name, Type.INTEGER, Long.toString(defaultValue), description, min, max);
    }

    public static ParamSpec bool(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, Type.BOOLEAN, Boolean.toString(defaultValue), description, 0, 0);
    }

    public static ParamSpec string(String name, String defaultValue, String description) {
        return new ParamSpec(name, Type.STRING, defaultValue, description, 0, 0);
    }

    public static ParamSpec list(String name, String defaultValue, String description) {
        return new ParamSpec(name, Type.LIST, defaultValue, description, 0, 0);
    }

    /**
     * The one boolean grammar of every configuration section and PATCH: true/yes/on/1 and
     * false/no/off/0 in any case (oslo.config's words); empty when the text is none of them.
     */
    public static java.util.Optional<Boolean> parseBoolean(String text) {
        if (text == null) {
            return java.util.Optional.empty();
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> java.util.Optional.of(true);
            case "false", "no", "off", "0" -> java.util.Optional.of(false);
            default -> java.util.Optional.empty();
        };
    }

    /**
     * Checks one value against the type and range.
     *
     * @throws IllegalArgumentException with a message fit for an operator
     */
    public void check(String value) {
        if (value == null) {
            throw new ParamException(name, "a value is required");
        }
        String v = value.trim();
        switch (type) {
            case DOUBLE -> {
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new ParamException(name, "'" + value + "' is not a number");
                }
                if (!Double.isFinite(d) || d < min || d > max) {
                    throw new ParamException(name, v + " is outside [" + min + ", " + max + "]");
                }
            }
            case INTEGER -> {
                long l;
                try {
                    l = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new ParamException(name, "'" + value + "' is not an integer");
                }
                if (l < min || l > max) {
                    throw new ParamException(name, v + " is outside [" + (long) min + ", " + (long) max + "]");
                }
            }
            case BOOLEAN -> {
                if (parseBoolean(v).isEmpty()) {
                    throw new ParamException(name, "'" + value + "' is not true or false (yes/no, on/off, 1/0)");
                }
            }
            case STRING, LIST -> {
                // any text; a policy's validate() checks the meaning
            }
        }
    }

    static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
