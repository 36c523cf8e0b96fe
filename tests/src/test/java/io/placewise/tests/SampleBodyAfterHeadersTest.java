package io.placewise.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.placewise.service.testing.RawHttp;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profiler sample whose body reaches the bridge after its headers, as the lab agents' samples do
 * across a veth (found by LabClosedLoopTest: every such sample was answered 500, because the
 * body-first handler's suspension and the resource's own asynchronous suspension collided), and one
 * whose body came with the headers. Both are 202 and on record.
 */
class SampleBodyAfterHeadersTest {
    @TempDir
    Path dir;
    Bridge bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    static String sample(double cpu) {
        return "{\"capacity\": {\"vcpus\": 2, \"memory_mb\": 4096, \"nic_mbps\": 1000}, \"cpu_util\": " + cpu
                + ", \"vms\": [{\"id\": \"g1\", \"vcpus\": 1, \"memory_mb\": 256, \"cpu_util\": " + cpu + "}]}";
    }

    /** Headers, a pause, then the body: the handler has suspended the response to wait for it. */
    RawHttp.Reply postLate(String host, String body) throws Exception {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/hosts/" + host + "/samples HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + Bridge.SERVICE
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", bridge.port()), 5000);
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(300);
            out.write(payload);
            out.flush();
            return RawHttp.read(s.getInputStream());
        }
    }

    @Test
    void aSampleWhoseBodyArrivesAfterItsHeadersIsTakenLikeAnyOther() throws Exception {
        bridge = new Bridge(dir);
        RawHttp.Reply late = postLate("labA", sample(0.4));
        assertThat(late.status()).as(late.toString()).isEqualTo(202);
        assertThat(late.json().get("host").asText()).isEqualTo("labA");
        RawHttp.Reply together = RawHttp.send(bridge.port(), "POST", "/v1/hosts/labA/samples", Bridge.SERVICE, sample(0.6));
        assertThat(together.status()).as(together.toString()).isEqualTo(202);
        assertThat(bridge.get("/v1/hosts/labA", Bridge.READER).body().get("cpu_util").asDouble()).isEqualTo(0.6);
        assertThat(bridge.get("/v1/cluster", Bridge.READER).body().get("vms").get(0).get("host").asText()).isEqualTo("labA");
    }
}
