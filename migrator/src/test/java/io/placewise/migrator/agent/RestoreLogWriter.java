package io.placewise.migrator.agent;

import io.placewise.migrator.CpuShare;
import io.placewise.migrator.RestoreEntry;
import io.placewise.migrator.agent.store.JdbcRestoreLog;
import io.placewise.service.store.Database;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.UUID;

/**
 * A process for {@link CrashDurabilityTest}: the agent's own restore log on the agent's database
 * settings, written by three threads as a migration runner writes it (record before a share is
 * changed, remove after it is restored). Each call that returned is printed ({@code R id},
 * {@code D id}) only after it returned, and {@code X id} before a removal starts, so the parent
 * knows exactly what was acknowledged and what was in flight.
 */
public final class RestoreLogWriter {
    private RestoreLogWriter() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        Database db = Database.open(args[0], "", "", 4, null, "classpath:db/migration/migrator");
        JdbcRestoreLog log = new JdbcRestoreLog(db);
        out.println("READY");
        for (int t = 0; t < 3; t++) {
            Thread w = new Thread(() -> {
                for (long n = 0; ; n++) {
                    String id = UUID.randomUUID().toString();
                    log.record(new RestoreEntry(id, "vm-" + n, "qemu+tcp://dest/system", new CpuShare(100_000, 80_000),
                            Instant.now()));
                    synchronized (out) {
                        out.println("R " + id);
                    }
                    if (n % 2 == 0) {
                        synchronized (out) {
                            out.println("X " + id); // removing: from here either outcome is legitimate
                        }
                        log.remove(id);
                        synchronized (out) {
                            out.println("D " + id);
                        }
                    }
                }
            });
            w.setDaemon(true);
            w.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
