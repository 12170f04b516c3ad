package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        String table = new TextTable(List.of("trial", "tok/s"))
                .row(List.of("Baseline", "412.5"))
                .row(List.of("KV q8_0", "1,002.0"))
                .render();
        assertEquals(String.join(System.lineSeparator(),
                "trial     tok/s",
                "--------  -------",
                "Baseline    412.5",
                "KV q8_0   1,002.0", ""), table);
    }
}
