package io.placewise.service.config;

import io.placewise.plugin.ParamException;
import io.placewise.plugin.ParamSpec;
import io.placewise.plugin.PolicyParams;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * An OpenStack-style INI file ({@code placewise.conf}, {@code placewise-migrator.conf}) read with
 * commons-configuration, and typed access to its sections with errors that say where.
 */
public final class IniFile {
    private static final Logger LOG = LoggerFactory.getLogger(IniFile.class);

    /**
     * Sections of {@code placewise.conf} and {@code placewise-migrator.conf} that configure a service; every
     * other section configures the policy of its name.
     */
    public static final Set<String> SERVICE_SECTIONS = Set.of("DEFAULT", "auth", "scheduler", "cluster", "balancer", "nova",
            "nova_external", "libvirt", "migrator", "profiler", "http");

    private IniFile() {
    }

    /** The policy sections of {@code sections} (all but {@link #SERVICE_SECTIONS}), in file order. */
    public static Map<String, Map<String, String>> policySections(Map<String, Map<String, String>> sections) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        sections.forEach((name, values) -> {
            if (!SERVICE_SECTIONS.contains(name)) {
                out.put(name, values);
            }
        });
        return out;
    }

    /**
     * {@code sections} with each deprecated key of {@code oldSection} (the key of {@code aliases}, mapped
     * to the section and key that replaced it) copied: set alone,
     * it configures the new key; set with the same value as the new key, it changes nothing; set with a
     * different value, the file is refused (which one is meant cannot be guessed). A warning is logged
     * whenever the old key is set.
     *
     * @throws ConfigException naming the file and both keys
     */
    public static Map<String, Map<String, String>> withAliases(String source, Map<String, Map<String, String>> sections,
                                                               String oldSection,
                                                               Map<String, Map.Entry<String, String>> aliases) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        sections.forEach((name, values) -> out.put(name, new LinkedHashMap<>(values)));
        Map<String, String> old = out.getOrDefault(oldSection, Map.of());
        for (Map.Entry<String, Map.Entry<String, String>> a : aliases.entrySet()) {
            String oldValue = old.get(a.getKey());
            if (oldValue == null || oldValue.isEmpty()) {
                continue;
            }
            String oldName = "[" + oldSection + "] " + a.getKey();
            String newSection = a.getValue().getKey();
            String newKey = a.getValue().getValue();
            String newName = "[" + newSection + "] " + newKey;
            Map<String, String> target = out.computeIfAbsent(newSection, n -> new LinkedHashMap<>());
            String newValue = target.get(newKey);
            if (newValue != null && !newValue.isEmpty() && !sameValue(newValue, oldValue)) {
                throw new ConfigException(source + ": " + oldName + " (" + oldValue + ") is a deprecated alias of "
                        + newName + " (" + newValue + "): set only " + newName, null);
            }
            LOG.warn("{}: {} is deprecated: it is an alias of {}; set that instead", source, oldName, newName);
            target.put(newKey, oldValue);
        }
        return out;
    }

    private static boolean sameValue(String a, String b) {
        if (a.trim().equals(b.trim())) {
            return true;
        }
        try {
            return Double.parseDouble(a.trim()) == Double.parseDouble(b.trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Every section's keys and trimmed values, in file order. Keys may not contain dots:
     * commons-configuration would read them as a hierarchy.
     *
     * @throws ConfigException when the file cannot be read or parsed
     */
    public static Map<String, Map<String, String>> read(Path file) {
        INIConfiguration ini = new INIConfiguration();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ini.read(r);
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (String name : ini.getSections()) {
            if (name == null) {
                continue;
            }
            SubnodeConfiguration s = ini.getSection(name);
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<String> it = s.getKeys(); it.hasNext(); ) {
                String key = it.next();
                values.put(key, s.getString(key, "").trim());
            }
            sections.put(name, values);
        }
        return sections;
    }

    /** One section of {@code sections} (empty when the file has none). */
    public static Section section(String source, Map<String, Map<String, String>> sections, String name) {
        return new Section(source, name, sections.getOrDefault(name, Map.of()));
    }

    /** A section's values, typed; an empty value means "the default". */
    public record Section(String source, String name, Map<String, String> values) {
        public String string(String key, String dflt) {
            String v = values.get(key);
            return v == null || v.isEmpty() ? dflt : v;
        }

        public int integer(String key, int dflt, int min, int max) {
            return Math.toIntExact(typed(ParamSpec.integer(key, dflt, min, max, ""), Long::parseLong));
        }

        public double number(String key, double dflt, double min, double max) {
            return typed(ParamSpec.number(key, dflt, min, max, ""), Double::parseDouble);
        }

        /** true/false, as oslo.config also takes yes/no, on/off and 1/0: the same words as policy sections. */
        public boolean bool(String key, boolean dflt) {
            return typed(ParamSpec.bool(key, dflt, ""), v -> ParamSpec.parseBoolean(v).orElseThrow());
        }

        /**
         * Settings declared as {@link ParamSpec}s, the grammar of policy sections: the declared keys this
         * section sets (others are left to their readers), checked, then built.
         *
         * @param build may throw {@link ParamException} naming the key whose meaning is wrong
         * @throws ConfigException naming the file, section and key
         */
        public <T> T read(List<ParamSpec> declared, Function<PolicyParams, T> build) {
            Map<String, String> given = new LinkedHashMap<>();
            for (ParamSpec p : declared) {
                String v = values.get(p.name());
                if (v != null && !v.isEmpty()) {
                    given.put(p.name(), v);
                }
            }
            try {
                return build.apply(PolicyParams.of(declared, given));
            } catch (ParamException e) {
                throw new ConfigException(where(e.param()) + ": " + e.reason(), e);
            }
        }

        /** One value in the grammar of {@link ParamSpec#check}, the one every section and PATCH uses. */
        private <T> T typed(ParamSpec spec, Function<String, T> parse) {
            String v = values.get(spec.name());
            if (v == null || v.isEmpty()) {
                return parse.apply(spec.defaultValue());
            }
            try {
                spec.check(v);
            } catch (ParamException e) {
                throw new ConfigException(where(spec.name()) + ": " + e.reason(), e);
            }
            return parse.apply(v.trim());
        }

        /** A comma-separated list, items trimmed, empty items dropped. */
        public List<String> list(String key) {
            String v = values.get(key);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            return out;
        }

        /** "FILE: [section] key", for error messages. */
        public String where(String key) {
            return source + ": [" + name + "] " + key.toLowerCase(Locale.ROOT);
        }
    }
}
