package connguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StartupTimeTest {
  /** Three rounds; the second was slow for every arm (a busy minute), which the paired median sees through. */
  private static Map<String, Map<String, List<Double>>> rounds() {
    return bootJpa(List.of(5000.0, 9000.0, 5100.0), List.of(5200.0, 9250.0, 5900.0));
  }

  /** The main thread's CPU in the same rounds. */
  private static Map<String, Map<String, List<Double>>> cpuOfRounds() {
    return bootJpa(List.of(3700.0, 3800.0, 3750.0), List.of(3850.0, 3900.0, 3950.0));
  }

  /** The BootJpa probe's runs, arm "none" and arm "agent", as StartupTime keeps them. */
  private static Map<String, Map<String, List<Double>>> bootJpa(List<Double> none, List<Double> agent) {
    Map<String, List<Double>> byArm = new LinkedHashMap<>();
    byArm.put("none", none);
    byArm.put("agent", agent);
    Map<String, Map<String, List<Double>>> probes = new LinkedHashMap<>();
    probes.put("BootJpa", byArm);
    return probes;
  }

  @Test
  void thePairedColumnIsTheMedianOfTheDifferencesWithinEachRun() {
    assertEquals(List.of(200.0, 250.0, 800.0), StartupTime.paired(List.of(5200.0, 9250.0, 5900.0), List.of(5000.0, 9000.0, 5100.0)));
    String table = StartupTime.table(rounds(), List.of(Arm.parse("none="), Arm.parse("agent=")), 3, "java");
    // medians 5100 and 5900: "adds" +800; the pairs 200, 250, 800: "paired" +250, and with three
    // runs the interval of that median spans the pairs
    assertTrue(table.matches("(?s).*\\| BootJpa +\\| +5100 \\[5000-9000\\] +\\| +5900 \\[5200-9250\\] +\\| +\\+800 +\\| +\\+250 \\[\\+200, \\+800\\] +\\|.*"), table);
  }

  @Test
  void theIntervalOfThePairedMedianNarrowsWithMoreRunsAndHoldsItsMedian() {
    List<Double> few = new ArrayList<>();
    List<Double> many = new ArrayList<>();
    Random noise = new Random(1);
    for (int i = 0; i < 200; i++) {
      double pair = 250 + noise.nextGaussian() * 150;        // this machine's spread between two starts
      many.add(pair);
      if (i < 20) {
        few.add(pair);
      }
    }
    double[] fewInterval = StartupTime.medianInterval(few);
    double[] manyInterval = StartupTime.medianInterval(many);
    for (double[] interval : List.of(fewInterval, manyInterval)) {
      assertTrue(interval[0] < interval[1], Arrays.toString(interval));
    }
    assertTrue(fewInterval[0] <= StartupTime.median(few) && StartupTime.median(few) <= fewInterval[1], Arrays.toString(fewInterval));
    assertTrue(manyInterval[0] <= StartupTime.median(many) && StartupTime.median(many) <= manyInterval[1], Arrays.toString(manyInterval));
    assertTrue(manyInterval[1] - manyInterval[0] < fewInterval[1] - fewInterval[0],
        "more runs, a narrower interval: " + Arrays.toString(fewInterval) + " " + Arrays.toString(manyInterval));
    assertTrue(manyInterval[0] < 250 && 250 < manyInterval[1], "the cost the runs were drawn around: " + Arrays.toString(manyInterval));
    assertEquals(List.of(100.0, 100.0), toList(StartupTime.medianInterval(List.of(100.0, 100.0, 100.0))), "no spread, no width");
  }

  private static List<Double> toList(double[] values) {
    return List.of(values[0], values[1]);
  }

  @Test
  void runsKeptAsLinesPoolIntoOneTableWithTheirPairsKept() {
    Map<String, Map<String, List<Double>>> cpu = cpuOfRounds();
    Map<String, List<Double>> later = new LinkedHashMap<>();
    later.put("none", List.of(4000.0));
    later.put("hook", List.of(4050.0));
    later.put("agent", List.of(4100.0));
    Map<String, Map<String, List<Double>>> laterRun = new LinkedHashMap<>();
    laterRun.put("BootJpa", later);

    Map<String, Map<String, List<Double>>> millis = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> mainCpu = new LinkedHashMap<>();
    List<String> arms = new ArrayList<>();
    StartupTime.readRunLines(List.of(StartupTime.runLines(rounds(), cpu).split("\n")), millis, mainCpu, arms);
    StartupTime.readRunLines(List.of(StartupTime.runLines(laterRun, new LinkedHashMap<>()).split("\n")), millis, mainCpu, arms);
    assertEquals(List.of("none", "agent"), arms, "an arm only one run has is left out: pairs stay pairs");
    assertEquals(List.of(5000.0, 9000.0, 5100.0, 4000.0), millis.get("BootJpa").get("none"));
    assertEquals(List.of(5200.0, 9250.0, 5900.0, 4100.0), millis.get("BootJpa").get("agent"));
    assertEquals(List.of(3850.0, 3900.0, 3950.0), mainCpu.get("BootJpa").get("agent"), "CPU where a run said it");
  }

  @Test
  void everyRunIsKeptAsALineToPoolRunsLater() {
    Map<String, Map<String, List<Double>>> cpu = cpuOfRounds();
    String lines = StartupTime.runLines(rounds(), cpu);
    assertTrue(lines.startsWith("probe\trun\tarm\twall_ms\tmain_cpu_ms\n"), lines);
    assertTrue(lines.contains("BootJpa\t1\tagent\t9250\t3900\n"), lines);
    assertEquals(7, lines.split("\n").length, lines);
  }
}
