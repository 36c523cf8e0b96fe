package io.placewise.sim;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real traces of {@code shared/traces} (beside the repository, as on the developers' machines and in CI), or
 * {@code -Dplacewise.traces=DIR}. Tests read them; they are not copied into the repository.
 */
public final class SharedTraces {
    private SharedTraces() {
    }

    public static Path root() {
        String prop = System.getProperty("placewise.traces");
        if (prop != null) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("traces");
            if (Files.isDirectory(candidate.resolve("planetlab"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/traces not found above " + Path.of("").toAbsolutePath()
                + "; set -Dplacewise.traces=DIR");
    }

    public static Path planetLabDay(String day) {
        return root().resolve("planetlab").resolve(day);
    }

    public static Path bitbrains() {
        return root().resolve("bitbrains-rnd-2013-7");
    }
}
