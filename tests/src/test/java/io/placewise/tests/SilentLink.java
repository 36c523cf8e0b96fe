package io.placewise.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between one bridge and PostgreSQL that the test can silence: after {@link #cut} bytes are
 * swallowed in both directions and no socket is closed, as when the network between them fails (neither
 * side sees a FIN or a reset). {@link #restore} relays again (new connections get through).
 */
final class SilentLink implements AutoCloseable {
    private final ServerSocket server;
    private final String host;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean open = true;

    SilentLink(String host, int targetPort) throws IOException {
        this.host = host;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "silent-link-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void cut() {
        cut = true;
    }

    void restore() {
        cut = false;
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                if (cut) {
                    sockets.add(client); // held open, never answered
                    continue;
                }
                Socket upstream = new Socket(host, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            // No try-with-resources: closing a socket's stream closes the socket, and a cut link must not
            // pass on even a close (the other side would see its FIN).
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!cut) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // One side went away: the other one is closed below.
            } finally {
                if (!cut) {
                    closeQuietly(to);
                }
            }
        }, "silent-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        sockets.forEach(SilentLink::closeQuietly);
    }
}
