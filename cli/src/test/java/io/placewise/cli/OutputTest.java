package io.placewise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final StringWriter buf = new StringWriter();

    private Output out(Output.Format f, String... columns) {
        return new Output(f, List.of(columns), new PrintWriter(buf));
    }

    private static ArrayNode hosts() {
        ArrayNode a = BridgeClient.JSON.createArrayNode();
        a.addObject().put("name", "pm1").put("cpu_util", 0.92).put("enabled", true);
        a.addObject().put("name", "pm22").put("cpu_util", 0.1).put("enabled", false);
        return a;
    }

    @Test
    void aListIsATableWithOneRowPerItemInTheDefaultColumns() {
        out(Output.Format.table).list(List.of("name", "cpu_util"), hosts());
        assertThat(buf.toString()).isEqualTo("""
                +------+----------+
                | name | cpu_util |
                +------+----------+
                | pm1  | 0.92     |
                | pm22 | 0.1      |
                +------+----------+
                """);
    }

    @Test
    void valueFormatPrintsBareValuesOfTheChosenColumns() {
        out(Output.Format.value, "name", "enabled").list(List.of("name", "cpu_util"), hosts());
        assertThat(buf.toString()).isEqualTo("pm1 true\npm22 false\n");
    }

    @Test
    void aShowIsFieldValueWithListsOneItemALine() {
        ObjectNode o = BridgeClient.JSON.createObjectNode().put("id", "a1");
        o.putArray("plan").add("1. vm1 pm1 -> pm3").add("2. vm2 pm1 -> pm2");
        out(Output.Format.table).show(o);
        assertThat(buf.toString()).isEqualTo("""
                +-------+-------------------+
                | Field | Value             |
                +-------+-------------------+
                | id    | a1                |
                | plan  | 1. vm1 pm1 -> pm3 |
                |       | 2. vm2 pm1 -> pm2 |
                +-------+-------------------+
                """);
    }

    @Test
    void jsonKeepsTypesAndAnUnknownColumnIsRefusedByName() {
        out(Output.Format.json, "cpu_util").show((ObjectNode) hosts().get(0));
        assertThat(buf.toString()).contains("\"cpu_util\" : 0.92").doesNotContain("name");
        assertThatThrownBy(() -> out(Output.Format.json, "nope").show((ObjectNode) hosts().get(0)))
                .hasMessageContaining("no column 'nope'").hasMessageContaining("name, cpu_util, enabled");
    }
}
