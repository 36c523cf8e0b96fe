package io.placewise.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.sim.power.PowerModel;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.trace.Trace;
import io.placewise.sim.trace.VmTrace;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --from-bridge URL --token T}: a live bridge's current cluster, its stored sample windows and its current
 * policy settings, as a setup, a trace and Placewise settings to replay. A VM's load follows its host's recorded
 * samples in proportion to the VM's current share of that host (the bridge keeps samples per host, not per VM);
 * each host becomes its own host type, with its vCPUs as CPU units.
 */
final class BridgeSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Balancer parameters that configure the service, not the decisions. */
    private static final Set<String> SERVICE_PARAMS = Set.of("interval_s", "auto_execute", "migrator_url_template");
    /** The CPU of one vCPU, in the replay's units. */
    static final double MIPS_PER_VCPU = 1000;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    record Loaded(Setup setup, Trace trace, Map<String, Map<String, String>> sections, int sampleWindow) {
    }

    BridgeSource(String url, String token) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    Loaded load(PowerModel power) throws IOException, InterruptedException {
        JsonNode cluster = get("/v1/cluster");
        JsonNode policies = get("/v1/policies");
        List<HostType> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, JsonNode> hosts = new LinkedHashMap<>();
        Map<String, double[]> cpuSamples = new HashMap<>();
        Map<String, double[]> memSamples = new HashMap<>();
        List<Long> gaps = new ArrayList<>();
        int window = 1;
        for (JsonNode h : cluster.path("hosts")) {
            String name = h.get("name").asText();
            JsonNode cap = h.path("capacity");
            hosts.put(name, h);
            names.add(name);
            types.add(new HostType(name, 1, Math.max(1, cap.path("vcpus").asInt()), MIPS_PER_VCPU,
                    Math.max(1, cap.path("memory_mb").asLong()), cap.path("disk_gb").asLong(),
                    Math.max(1, cap.path("nic_mbps").asDouble(1000)), power));
            JsonNode samples = get("/v1/hosts/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                    .path("samples");
            double[] cpu = new double[samples.size()];
            double[] mem = new double[samples.size()];
            Instant last = null;
            for (int i = 0; i < samples.size(); i++) {
                JsonNode s = samples.get(i);
                cpu[i] = s.path("cpu_util").asDouble();
                mem[i] = s.path("mem_util").asDouble();
                Instant at = Instant.parse(s.get("at").asText());
                if (last != null) {
                    gaps.add(Math.max(1, Duration.between(last, at).getSeconds()));
                }
                last = at;
            }
            cpuSamples.put(name, cpu);
            memSamples.put(name, mem);
            window = Math.max(window, samples.size());
        }
        if (names.isEmpty()) {
            throw new IOException(base + ": the bridge's cluster has no hosts");
        }
        int intervalS = (int) median(gaps, 60);
        int steps = Math.max(3, window);
        List<VmTrace> vms = new ArrayList<>();
        Map<String, String> placement = new HashMap<>();
        for (JsonNode v : cluster.path("vms")) {
            JsonNode host = hosts.get(v.path("host").asText());
            if (host == null) {
                continue;
            }
            vms.add(vmTrace(v, host, cpuSamples.get(host.get("name").asText()), memSamples.get(host.get("name").asText()), steps));
            placement.put(v.get("id").asText(), host.get("name").asText());
        }
        Setup setup = new Setup("bridge " + base, types, false, List.of(), intervalS, 0, 1000, false, true, MIPS_PER_VCPU, 0,
                10, names);
        Trace trace = new Trace(List.of("bridge:" + base), intervalS, vms, List.of(), 0, placement);
        return new Loaded(setup, trace, sections(policies), window);
    }

    /**
     * The VM's CPU (share of its own vCPUs) at each stored sample of its host: its current share of the host scaled
     * by how busy the host was then relative to now; constant without samples. Aligned to the newest sample.
     */
    private static VmTrace vmTrace(JsonNode v, JsonNode host, double[] hostCpu, double[] hostMem, int steps) {
        int vcpus = Math.max(1, v.path("vcpus").asInt(1));
        int hostVcpus = Math.max(1, host.path("capacity").path("vcpus").asInt(1));
        double share = v.path("cpu_util").asDouble();
        double hostNow = host.path("cpu_util").asDouble();
        long memory = Math.max(1, v.path("memory_mb").asLong(1));
        double memNow = host.path("mem_util").asDouble();
        double vmMem = v.path("mem_util").asDouble(1) * memory;
        double[] cpu = new double[steps];
        double[] mem = new double[steps];
        for (int i = 0; i < steps; i++) {
            int j = hostCpu.length - steps + i;
            double scale = j >= 0 && hostNow > 0 ? hostCpu[j] / hostNow : 1;
            double memScale = j >= 0 && memNow > 0 ? hostMem[j] / memNow : 1;
            cpu[i] = Math.min(1, Math.max(0, share * scale * hostVcpus / vcpus));
            mem[i] = Math.min(memory, Math.max(0, vmMem * memScale));
        }
        return new VmTrace(v.get("id").asText(), "bridge", vcpus, vcpus * MIPS_PER_VCPU, memory, cpu, mem, null, null, null,
                0, steps);
    }

    /** GET /v1/policies as config sections: filters in run order first, so their order is the filter order. */
    static Map<String, Map<String, String>> sections(JsonNode policies) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> filterOrder = new ArrayList<>();
        for (JsonNode p : policies) {
            String name = p.get("name").asText();
            String kind = p.path("kind").asText();
            Map<String, String> values = new LinkedHashMap<>();
            p.path("params").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            if (kind.equals("balancer")) {
                SERVICE_PARAMS.forEach(values::remove);
                out.put("balancer", values);
                continue;
            }
            values.put("enabled", Boolean.toString(p.path("enabled").asBoolean()));
            if (kind.equals("weigher") && p.hasNonNull("multiplier")) {
                values.put("multiplier", p.get("multiplier").asText());
            }
            if (kind.equals("filter")) {
                filterOrder.add(name);
            }
            out.put(name, values);
        }
        out.put("scheduler", Map.of("filter_order", String.join(",", filterOrder)));
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("X-Auth-Token", token).header("Accept", "application/json").GET().build();
        HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + base + path + ": HTTP " + resp.statusCode()
                    + (resp.statusCode() == 401 || resp.statusCode() == 403 ? " (check --token)" : ""));
        }
        return JSON.readTree(resp.body());
    }

    private static long median(List<Long> values, long dflt) {
        if (values.isEmpty()) {
            return dflt;
        }
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
