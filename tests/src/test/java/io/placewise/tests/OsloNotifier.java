package io.placewise.tests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Nova's notifier: Debian's oslo.messaging ({@code python3-oslo.messaging}), publishing as Nova
 * does (messagingv2 driver, exchange {@code nova}), driven one notification at a time from Java.
 */
final class OsloNotifier implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    OsloNotifier(String transportUrl, String topic, Path dir) throws Exception {
        Path script = dir.resolve("oslo_notify.py");
        try (var s = OsloNotifier.class.getResourceAsStream("/rabbitmq/oslo_notify.py")) {
            Files.copy(s, script);
        }
        process = new ProcessBuilder(PYTHON.toString(), script.toString(), transportUrl, topic)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("oslo_notify.err").toFile())).start();
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = line(60);
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("oslo notifier did not start: " + ready + " "
                    + Files.readString(dir.resolve("oslo_notify.err")));
        }
    }

    /** oslo.messaging and its rabbit driver are installed (Debian's python3-oslo.messaging). */
    static boolean available() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import oslo_messaging, kombu").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Publishes one notification (a Nova sample: event_type, payload, priority, publisher_id). */
    void publish(ObjectNode notification) throws Exception {
        in.write(notification.toString().replace('\n', ' '));
        in.newLine();
        in.flush();
        String answer = line(60);
        if (!"ok".equals(answer)) {
            throw new IllegalStateException("oslo notifier: " + answer);
        }
    }

    private String line(int seconds) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return "error: " + e;
            }
        }).get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
        }
    }
}
