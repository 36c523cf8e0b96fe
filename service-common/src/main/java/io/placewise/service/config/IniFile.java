package io.placewise.service.config;

import io.placewise.plugin.ParamSpec;
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
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * An OpenStack-style INI file ({@code placewise.conf}, {@code placewise-migrator.conf}) read with
 * commons-configuration, and typed access to its sections with errors that say where.
 */
public final class IniFile {
    private IniFile() {
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
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    throw new ConfigException(where(key) + ": " + i + " is outside [" + min + ", " + max + "]", null);
                }
                return i;
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v + "' is not an integer", e);
            }
        }

        public double number(String key, double dflt, double min, double max) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    throw new ConfigException(where(key) + ": " + v + " is outside [" + min + ", " + max + "]", null);
                }
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(where(key) + ": '" + v + "' is not a number", e);
            }
        }

        /** true/false, as oslo.config also takes yes/no, on/off and 1/0: the same words as policy sections. */
        public boolean bool(String key, boolean dflt) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            return ParamSpec.parseBoolean(v).orElseThrow(() -> new ConfigException(where(key) + ": '" + v
                    + "' is not true or false (yes/no, on/off, 1/0)", null));
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
