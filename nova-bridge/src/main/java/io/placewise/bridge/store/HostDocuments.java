package io.placewise.bridge.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.placewise.model.LoadShift;
import io.placewise.model.MoveFence;
import io.placewise.model.Vm;
import io.placewise.model.WorkloadClass;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON columns of a {@code cluster_host} row: the host's VMs, the traffic they send, and its
 * reports (VMs migrating in, move fences). Compact arrays, positional, written and read with
 * Jackson's streaming API so that one profiler sample costs one small row write:
 * <pre>
 * vms:     [[id, vcpus, memory_mb, disk_gb, cpu_util, mem_util, swap_writes_per_s, dirty_rate_mbps,
 *            workload, [nonsharable, ...], group], ...]
 * traffic: [[src, dst, mbps], ...]
 * reports: {"migrating_in": [id, ...], "fences": [[vm, leaving, completed_at_ms, cpu, mem, swap, nic], ...]}
 * </pre>
 */
final class HostDocuments {
    private static final JsonFactory JSON = new JsonFactory();

    private HostDocuments() {
    }

    static String vms(List<Vm> vms) {
        return write(g -> {
            g.writeStartArray();
            for (Vm v : vms) {
                g.writeStartArray();
                g.writeString(v.id());
                g.writeNumber(v.vcpus());
                g.writeNumber(v.memoryMb());
                g.writeNumber(v.diskGb());
                g.writeNumber(v.cpuUtil());
                g.writeNumber(v.memUtil());
                g.writeNumber(v.swapWritesPerS());
                g.writeNumber(v.dirtyRateMbps());
                g.writeString(v.workload().wireName());
                g.writeStartArray();
                for (String r : v.nonsharable().stream().sorted().toList()) {
                    g.writeString(r);
                }
                g.writeEndArray();
                if (v.group() == null) {
                    g.writeNull();
                } else {
                    g.writeString(v.group());
                }
                g.writeEndArray();
            }
            g.writeEndArray();
        });
    }

    static List<Vm> vms(String host, String json) {
        return read(json, p -> {
            List<Vm> out = new ArrayList<>();
            expect(p, JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_ARRAY) {
                String id = text(p);
                int vcpus = (int) integer(p);
                long memory = integer(p);
                long disk = integer(p);
                double cpu = number(p);
                double mem = number(p);
                double swap = number(p);
                double dirty = number(p);
                WorkloadClass workload = WorkloadClass.fromWire(text(p)).orElse(WorkloadClass.MIXED);
                expect(p, JsonToken.START_ARRAY);
                Set<String> nonsharable = new HashSet<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    nonsharable.add(p.getText());
                }
                String group = text(p);
                expect(p, JsonToken.END_ARRAY);
                out.add(new Vm(id, host, vcpus, memory, disk, cpu, mem, swap, dirty, workload, nonsharable, group));
            }
            return out;
        });
    }

    /** {@code sent}: sender → receiver → Mbit/s; written in pair order. */
    static String traffic(Map<String, Map<String, Double>> sent) {
        return write(g -> {
            g.writeStartArray();
            for (Map.Entry<String, Map<String, Double>> e : new TreeMap<>(sent).entrySet()) {
                for (Map.Entry<String, Double> t : new TreeMap<>(e.getValue()).entrySet()) {
                    g.writeStartArray();
                    g.writeString(e.getKey());
                    g.writeString(t.getKey());
                    g.writeNumber(t.getValue());
                    g.writeEndArray();
                }
            }
            g.writeEndArray();
        });
    }

    /** Sender → receiver → Mbit/s. */
    static Map<String, Map<String, Double>> traffic(String json) {
        return read(json, p -> {
            Map<String, Map<String, Double>> out = new LinkedHashMap<>();
            expect(p, JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_ARRAY) {
                String src = text(p);
                String dst = text(p);
                double mbps = number(p);
                expect(p, JsonToken.END_ARRAY);
                out.computeIfAbsent(src, k -> new LinkedHashMap<>()).put(dst, mbps);
            }
            return out;
        });
    }

    /** Null when there is nothing to report (the common case). */
    static String reports(Set<String> migratingIn, List<MoveFence> fences) {
        if (migratingIn.isEmpty() && fences.isEmpty()) {
            return null;
        }
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("migrating_in");
            for (String id : migratingIn.stream().sorted().toList()) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("fences");
            for (MoveFence f : fences) {
                g.writeStartArray();
                g.writeString(f.vm());
                g.writeBoolean(f.leaving());
                g.writeNumber(f.completedAt().toEpochMilli());
                g.writeNumber(f.delta().cpu());
                g.writeNumber(f.delta().mem());
                g.writeNumber(f.delta().swapWritesPerS());
                g.writeNumber(f.delta().nic());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    record Reports(Set<String> migratingIn, List<MoveFence> fences) {
        static final Reports NONE = new Reports(Set.of(), List.of());
    }

    static Reports reports(String json) {
        if (json == null || json.isEmpty()) {
            return Reports.NONE;
        }
        return read(json, p -> {
            Set<String> in = new HashSet<>();
            List<MoveFence> fences = new ArrayList<>();
            expect(p, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                expect(p, JsonToken.START_ARRAY);
                if (field.equals("migrating_in")) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        in.add(p.getText());
                    }
                } else if (field.equals("fences")) {
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        String vm = text(p);
                        p.nextToken();
                        boolean leaving = p.getBooleanValue();
                        Instant at = Instant.ofEpochMilli(integer(p));
                        LoadShift.Delta d = new LoadShift.Delta(number(p), number(p), number(p), number(p));
                        expect(p, JsonToken.END_ARRAY);
                        fences.add(new MoveFence(vm, leaving, at, d));
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new Reports(in, fences);
        });
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    private static String write(Writer w) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static <T> T read(String json, Reader<T> r) {
        try (JsonParser p = JSON.createParser(json)) {
            return r.read(p);
        } catch (IOException e) {
            throw new IllegalStateException("stored host document is not valid: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonParser p, JsonToken t) throws IOException {
        JsonToken got = p.nextToken();
        if (got != t) {
            throw new IOException("expected " + t + " but found " + got + " at " + p.currentLocation());
        }
    }

    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new IOException("expected a string but found " + t);
        }
        return p.getText();
    }

    private static long integer(JsonParser p) throws IOException {
        p.nextToken();
        return p.getLongValue();
    }

    private static double number(JsonParser p) throws IOException {
        p.nextToken();
        return p.getDoubleValue();
    }
}
