package connguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupTimeTest {
  /** Three rounds; the second was slow for every arm (a busy minute), which the paired median sees through. */
  private static Map<String, Map<String, List<Double>>> rounds() {
    Map<String, List<Double>> boot = new LinkedHashMap<>();
    boot.put("none", List.of(5000.0, 9000.0, 5100.0));
    boot.put("agent", List.of(5200.0, 9250.0, 5900.0));
    Map<String, Map<String, List<Double>>> millis = new LinkedHashMap<>();
    millis.put("BootJpa", boot);
    return millis;
  }

  @Test
  void thePairedColumnIsTheMedianOfTheDifferencesWithinEachRun() {
    assertEquals(List.of(200.0, 250.0, 800.0), StartupTime.paired(List.of(5200.0, 9250.0, 5900.0), List.of(5000.0, 9000.0, 5100.0)));
    String table = StartupTime.table(rounds(), List.of(Arm.parse("none="), Arm.parse("agent=")), 3, "java");
    // medians 5100 and 5900: "adds" +800; the pairs 200, 250, 800: "paired" +250
    assertTrue(table.matches("(?s).*\\| BootJpa +\\| +5100 \\[5000-9000\\] +\\| +5900 \\[5200-9250\\] +\\| +\\+800 +\\| +\\+250 +\\|.*"), table);
  }

  @Test
  void everyRunIsKeptAsALineToPoolRunsLater() {
    Map<String, Map<String, List<Double>>> cpu = new LinkedHashMap<>();
    Map<String, List<Double>> bootCpu = new LinkedHashMap<>();
    bootCpu.put("none", List.of(3700.0, 3800.0, 3750.0));
    bootCpu.put("agent", List.of(3850.0, 3900.0, 3950.0));
    cpu.put("BootJpa", bootCpu);
    String lines = StartupTime.runLines(rounds(), cpu);
    assertTrue(lines.startsWith("probe\trun\tarm\twall_ms\tmain_cpu_ms\n"), lines);
    assertTrue(lines.contains("BootJpa\t1\tagent\t9250\t3900\n"), lines);
    assertEquals(7, lines.split("\n").length, lines);
  }
}
