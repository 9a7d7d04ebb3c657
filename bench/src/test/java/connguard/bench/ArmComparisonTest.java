package connguard.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.util.ListStatistics;

class ArmComparisonTest {
  private static final double NAN = Double.NaN;

  @Test
  void aPairIsARoundInWhichBothForksGaveAResult() {
    ListStatistics ratios = ArmComparison.pairs(new double[] {66, NAN, 70, 90}, new double[] {44, 45, NAN, 60});
    assertEquals(2, ratios.getN());
    assertEquals(1.5, ratios.getMin(), 1e-9);
    assertEquals(1.5, ratios.getMax(), 1e-9);
    assertEquals(0, ArmComparison.pairs(null, new double[] {1}).getN(), "an arm that never ran gives no pairs");
  }

  @Test
  void thePairedTableGivesTheMedianOfThePairsAndTheirRange() {
    Map<String, Map<String, double[]>> medians = new LinkedHashMap<>();
    Map<String, double[]> prepareClose = new LinkedHashMap<>();
    prepareClose.put("noop", new double[] {40, 50, 40});
    prepareClose.put("connguard", new double[] {60, 50, 44});
    medians.put("prepareClose", prepareClose);
    String table = ArmComparison.pairedTable(medians, List.of(Arm.parse("noop="), Arm.parse("connguard=")));
    // Pairs 1.50, 1.00, 1.10: the median is 1.10, not the ratio of pooled medians (50/40 = 1.25).
    assertTrue(table.contains("| prepareClose |              1.10 [1.00-1.50] |     3 |"), table);
  }

  @Test
  void theBenchmarkRegexesAreTakenOffTheEndOfTheArguments() {
    assertArrayEquals(new String[] {"-f", "2", "-prof", "gc"},
        ArmComparison.withoutIncludes(new String[] {"-f", "2", "-prof", "gc", "prepareClose|batch100"},
            List.of("prepareClose|batch100")));
    // A regex spelled like an option's value: only the positional one, at the end, goes.
    assertArrayEquals(new String[] {"-prof", "gc", "-f", "1"},
        ArmComparison.withoutIncludes(new String[] {"-prof", "gc", "-f", "1", "gc"}, List.of("gc")));
  }

  @Test
  void armsRotatePerRoundAndBenchmark() {
    List<Arm> arms = Arm.parseAll("none=", "noop=-javaagent:noop.jar", "connguard=-javaagent:connguard.jar");
    assertEquals("noop", Arm.rotated(arms, 1).get(0).name);
    assertEquals("connguard", Arm.rotated(arms, 2).get(0).name);
    assertEquals("none", Arm.rotated(arms, 3).get(0).name);
  }
}
