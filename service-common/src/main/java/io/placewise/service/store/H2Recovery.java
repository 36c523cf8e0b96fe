package io.placewise.service.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an H2 file that was not closed cleanly (the service was killed) with MVStore's recovery
 * mode before H2 does, so that H2 starts from the newest complete chunk in the file.
 *
 * <p>Found by the crash test (issue 9): after {@code kill -9}, H2 2.5's quick recovery follows the
 * store header and the chunk chain, and when space had been reused for a newer chunk in the middle
 * of the file it settles on an older chunk and drops commits it had written and acknowledged
 * ({@code org.h2.tools.Recover} on the same file finds them). Recovery mode scans every block and
 * takes the newest chunk whose references are all valid; closing the store writes a clean header
 * pointing at it.
 */
final class H2Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(H2Recovery.class);

    private H2Recovery() {
    }

    static void recoverIfUnclean(String url) {
        Optional<Path> file = file(url);
        if (file.isEmpty() || !Files.isRegularFile(file.get()) || cleanlyClosed(file.get())) {
            return;
        }
        LOG.warn("{} was not closed cleanly (process killed?): recovering from the newest complete chunk", file.get());
        try (MVStore store = new MVStore.Builder().fileName(file.get().toString()).recoveryMode().autoCommitDisabled().open()) {
            LOG.info("{} recovered at version {}", file.get(), store.getCurrentVersion());
        } catch (RuntimeException e) {
            // H2's own open reports what is wrong (e.g. the file is in use by another process).
            LOG.warn("recovery of {} did not run: {}", file.get(), e.toString());
        }
    }

    /** The .mv.db file of an embedded H2 URL ({@code jdbc:h2:file:./var/x}, {@code jdbc:h2:./var/x}). */
    static Optional<Path> file(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            rest = rest.substring(0, semi);
        }
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")) {
            return Optional.empty();
        }
        if (lower.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Path.of(rest + ".mv.db"));
    }

    /** The store header (first block) carries {@code clean:1} only after a normal close. */
    static boolean cleanlyClosed(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String header = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
            return header.contains(",clean:1,") || header.contains(",clean:1\n");
        } catch (IOException e) {
            return true; // let H2 report it
        }
    }
}
