package io.placewise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints what a command answers as the OpenStack client does: {@code -f table} (a "show" is a
 * Field/Value table, a "list" one row per item), {@code -f json} or {@code -f value} (bare values, one
 * row per line), restricted to the {@code -c} columns when given.
 */
final class Output {
    enum Format { table, json, value }

    private final Format format;
    private final List<String> columns;
    private final PrintWriter out;

    Output(Format format, List<String> columns, PrintWriter out) {
        this.format = format;
        this.columns = columns == null ? List.of() : columns;
        this.out = out;
    }

    /** One object: Field/Value rows. */
    void show(ObjectNode fields) {
        ObjectNode shown = fields;
        if (!columns.isEmpty()) {
            shown = BridgeClient.JSON.createObjectNode();
            for (String c : columns) {
                if (!fields.has(c)) {
                    throw new IllegalArgumentException("no column '" + c + "' (columns: " + names(fields) + ")");
                }
                shown.set(c, fields.get(c));
            }
        }
        switch (format) {
            case json -> out.println(pretty(shown));
            case value -> shown.fields().forEachRemaining(e -> out.println(text(e.getValue())));
            case table -> {
                List<List<String>> rows = new ArrayList<>();
                shown.fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), text(e.getValue()))));
                table(List.of("Field", "Value"), rows);
            }
        }
        out.flush();
    }

    /** Many objects: one row each, the given columns unless -c chose others. */
    void list(List<String> defaults, ArrayNode items) {
        List<String> cols = columns.isEmpty() ? defaults : columns;
        ArrayNode shown = BridgeClient.JSON.createArrayNode();
        for (JsonNode item : items) {
            ObjectNode row = shown.addObject();
            for (String c : cols) {
                row.set(c, item.has(c) ? item.get(c) : BridgeClient.JSON.nullNode());
            }
        }
        switch (format) {
            case json -> out.println(pretty(shown));
            case value -> shown.forEach(r -> {
                List<String> vs = new ArrayList<>();
                r.forEach(v -> vs.add(text(v)));
                out.println(String.join(" ", vs));
            });
            case table -> {
                List<List<String>> rows = new ArrayList<>();
                shown.forEach(r -> {
                    List<String> vs = new ArrayList<>();
                    r.forEach(v -> vs.add(text(v)));
                    rows.add(vs);
                });
                table(cols, rows);
            }
        }
        out.flush();
    }

    private static String names(ObjectNode o) {
        List<String> n = new ArrayList<>();
        o.fieldNames().forEachRemaining(n::add);
        return String.join(", ", n);
    }

    private static String pretty(JsonNode n) {
        try {
            return BridgeClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cell: strings bare, lists one item a line, objects as key=value lines, null empty. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.isContainerNode() ? i.toString() : text(i)));
            return String.join("\n", items);
        }
        if (v.isObject()) {
            List<String> items = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                items.add(e.getKey() + "=" + (e.getValue().isContainerNode() ? e.getValue().toString() : text(e.getValue())));
            }
            return String.join("\n", items);
        }
        return v.asText();
    }

    private void table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < w.length; i++) {
                for (String line : r.get(i).split("\n", -1)) {
                    w[i] = Math.max(w[i], line.length());
                }
            }
        }
        String rule = rule(w);
        out.println(rule);
        line(w, header);
        out.println(rule);
        for (List<String> r : rows) {
            Map<Integer, String[]> cells = new LinkedHashMap<>();
            int height = 1;
            for (int i = 0; i < w.length; i++) {
                cells.put(i, r.get(i).split("\n", -1));
                height = Math.max(height, cells.get(i).length);
            }
            for (int k = 0; k < height; k++) {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < w.length; i++) {
                    String[] c = cells.get(i);
                    parts.add(k < c.length ? c[k] : "");
                }
                line(w, parts);
            }
        }
        out.println(rule);
    }

    private static String rule(int[] w) {
        StringBuilder sb = new StringBuilder("+");
        for (int x : w) {
            sb.append("-".repeat(x + 2)).append('+');
        }
        return sb.toString();
    }

    private void line(int[] w, List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
        }
        out.println(sb);
    }
}
