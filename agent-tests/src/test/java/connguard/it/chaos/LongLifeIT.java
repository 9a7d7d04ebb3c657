package connguard.it.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long life: {@link LongLifeWorkload} opens and closes many H2 in-memory connections with the
 * agent, and the agent's memory stays flat. The agent keeps its per-connection state beside the
 * driver's object, weakly, so a closed and forgotten connection must take it along.
 *
 * <p>{@code -Dlife.connections} (default 1,000,000: about 30 s on a 2-core VM, so make test runs
 * all of it), sampled every tenth. The figures go to stdout and target/long-life-report.txt.
 */
class LongLifeIT {
  static final int CONNECTIONS = Integer.getInteger("life.connections", 1_000_000);
  static final int SAMPLES = 10;
  /** Heap after full GC may wobble by a few hundred KB; a leak of even 10 bytes per connection would not fit. */
  static final long MAX_HEAP_GROWTH_KB = 2048;
  /** The open keeper connection, plus any other live instance a sample may catch mid-close. */
  static final long MAX_LIVE_LOGICAL_CONNECTIONS = 3;

  @Test
  void openingAndClosingManyConnectionsKeepsTheAgentsMemoryFlat() throws Exception {
    Path dir = Paths.get("target", "long-life");
    Files.createDirectories(dir);
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.log");
    long budgetSeconds = 60 + CONNECTIONS / 2_000;   // 2,000 connections/s is a slow machine
    Process child = AppJvm.withAgent("").sysProp("life.connections", Integer.toString(CONNECTIONS))
        .sysProp("life.samples", Integer.toString(SAMPLES))
        .launch(LongLifeWorkload.class.getName(), stdout, stderr);
    boolean ended = child.waitFor(budgetSeconds, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
    List<Map<String, String>> samples = new ArrayList<>();
    String done = "";
    for (String line : lines) {
      if (line.startsWith("LIFE ")) {
        samples.add(pairs(line.substring(5)));
      } else if (line.startsWith("LIFE-DONE ")) {
        done = line;
      }
    }
    String report = "long life, " + CONNECTIONS + " H2 connections opened, used and closed with the"
        + " agent; " + done + "\n" + String.join("\n", lines.stream().filter(l -> l.startsWith("LIFE ")).toList());
    System.out.println(report);
    Files.writeString(Paths.get("target", "long-life-report.txt"), report + "\n", StandardCharsets.UTF_8);

    assertTrue(ended && child.exitValue() == 0, "child ended within " + budgetSeconds + " s with exit 0;"
        + " stderr: " + stderr);
    assertEquals(SAMPLES + 1, samples.size(), "a sample at 0 and every " + CONNECTIONS / SAMPLES + ": " + lines);
    Map<String, String> first = samples.get(1);           // after the first batch: JIT, caches warm
    Map<String, String> last = samples.get(samples.size() - 1);
    // The trend: no later sample may sit more than the bound above the first warm one.
    long heapGrowthKb = samples.subList(1, samples.size()).stream().mapToLong(s -> num(s, "heapKb"))
        .max().orElse(0) - num(first, "heapKb");
    long agentObjectGrowth = num(last, "connguardObjects") - num(first, "connguardObjects");
    assertAll(
        () -> assertTrue(num(last, "guarded") >= CONNECTIONS, "the agent guarded every connection: " + last),
        () -> assertTrue(num(samples.get(0), "logicalConnections") >= 1,
            "the histogram sees the keeper's LogicalConnection (else it counts the wrong class): " + samples.get(0)),
        () -> samples.forEach(s -> assertTrue(num(s, "logicalConnections") <= MAX_LIVE_LOGICAL_CONNECTIONS,
            "LogicalConnection instances do not grow: " + s)),
        () -> assertTrue(num(last, "open") <= 1, "OpenConnections back to the keeper: " + last),
        () -> assertTrue(heapGrowthKb <= MAX_HEAP_GROWTH_KB, "heap after full GC rose " + heapGrowthKb
            + " KB above its level at " + first.get("opened") + " connections: " + samples),
        () -> assertTrue(agentObjectGrowth <= 20, "live connguard objects grew by " + agentObjectGrowth));
  }

  private static Map<String, String> pairs(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : text.trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return map;
  }

  private static long num(Map<String, String> sample, String key) {
    return Long.parseLong(sample.getOrDefault(key, "-1"));
  }
}
