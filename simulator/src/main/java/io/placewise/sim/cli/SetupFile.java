package io.placewise.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.placewise.sim.power.PowerModel;
import io.placewise.sim.setup.CloudSimSetup;
import io.placewise.sim.setup.HostType;
import io.placewise.sim.setup.Setup;
import io.placewise.sim.setup.VmType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code --setup cloudsim | FILE.json}. The file names hosts (with a shipped power model or eleven SPECpower points),
 * optionally VM types, the interval and the modelling switches of {@link Setup}; unknown keys are refused, so a
 * typo does not silently change a run. See {@code etc/sim-bitbrains.json}.
 */
public final class SetupFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("name", "hosts", "interleave_hosts", "vm_types", "interval_s", "duration_s",
            "migration_link_mbps", "retire_idle_vms", "reserve_memory", "cpu_unit_mips", "dirty_rate_mbps", "vm_disk_gb");
    private static final Set<String> HOST = Set.of("name", "count", "cores", "mips_per_core", "memory_mb", "disk_gb",
            "nic_mbps", "power_model");
    private static final Set<String> VM = Set.of("name", "mips", "cores", "memory_mb", "disk_gb", "dirty_rate_mbps");

    private SetupFile() {
    }

    /** @throws IllegalArgumentException saying which key of which file is wrong */
    public static Setup resolve(String spec) {
        if (spec == null || spec.equals("cloudsim")) {
            return CloudSimSetup.create();
        }
        Path file = Path.of(spec);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(spec + ": cannot read the setup: " + e.getMessage(), e);
        }
        return parse(spec, root);
    }

    static Setup parse(String where, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": a setup is a JSON object");
        }
        known(where, root, TOP);
        JsonNode hostsNode = root.get("hosts");
        if (hostsNode == null || !hostsNode.isArray() || hostsNode.isEmpty()) {
            throw new IllegalArgumentException(where + ": \"hosts\" must list at least one host type");
        }
        List<HostType> hosts = new ArrayList<>();
        for (int i = 0; i < hostsNode.size(); i++) {
            JsonNode h = hostsNode.get(i);
            String at = where + ": hosts[" + i + "]";
            String dflt = "host-type-" + i;
            known(at, h, HOST);
            hosts.add(guard(at, () -> new HostType(text(h, "name", dflt), integer(at, h, "count", 1),
                    integer(at, h, "cores", null), number(at, h, "mips_per_core", null), integer(at, h, "memory_mb", null),
                    integer(at, h, "disk_gb", 1000), number(at, h, "nic_mbps", 1000.0), power(at, h.get("power_model")))));
        }
        List<VmType> vms = new ArrayList<>();
        JsonNode vmNode = root.get("vm_types");
        if (vmNode != null) {
            for (int i = 0; i < vmNode.size(); i++) {
                JsonNode v = vmNode.get(i);
                String at = where + ": vm_types[" + i + "]";
                String dflt = "vm-type-" + i;
                known(at, v, VM);
                vms.add(guard(at, () -> new VmType(text(v, "name", dflt), number(at, v, "mips", null),
                        integer(at, v, "cores", 1), integer(at, v, "memory_mb", null), integer(at, v, "disk_gb", 10),
                        number(at, v, "dirty_rate_mbps", 0.0))));
            }
        }
        return guard(where, () -> new Setup(text(root, "name", where), hosts, bool(root, "interleave_hosts", false), vms,
                integer(where, root, "interval_s", 300), integer(where, root, "duration_s", 0),
                number(where, root, "migration_link_mbps", 1000.0), bool(root, "retire_idle_vms", false),
                bool(root, "reserve_memory", true), number(where, root, "cpu_unit_mips", 100.0),
                number(where, root, "dirty_rate_mbps", 0.0), integer(where, root, "vm_disk_gb", 10), List.of()));
    }

    private static <T> T guard(String at, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static void known(String at, JsonNode node, Set<String> keys) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(at + ": unknown key '" + k + "' (known: " + new java.util.TreeSet<>(keys) + ")");
            }
        }
    }

    private static PowerModel power(String at, JsonNode n) {
        if (n == null) {
            throw new IllegalArgumentException("power_model is required: " + PowerModel.names() + ", or 11 watt values");
        }
        if (n.isTextual()) {
            return PowerModel.named(n.asText()).orElseThrow(() -> new IllegalArgumentException("power_model '" + n.asText()
                    + "' is not one of " + PowerModel.names()));
        }
        if (n.isArray()) {
            double[] w = new double[n.size()];
            for (int i = 0; i < w.length; i++) {
                if (!n.get(i).isNumber()) {
                    throw new IllegalArgumentException("power_model[" + i + "] is not a number");
                }
                w[i] = n.get(i).asDouble();
            }
            return new PowerModel("custom", w);
        }
        throw new IllegalArgumentException(at + ": power_model must be a name or 11 watt values");
    }

    private static String text(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, was " + v);
        }
        return v.asBoolean();
    }

    private static int integer(String at, JsonNode n, String key, Integer dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(at + ": " + key + " is required");
            }
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(at + ": " + key + " must be an integer, was " + v);
        }
        return v.asInt();
    }

    private static double number(String at, JsonNode n, String key, Double dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(at + ": " + key + " is required");
            }
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(at + ": " + key + " must be a number, was " + v);
        }
        return v.asDouble();
    }
}
