package connguard.it.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which fault an op's latency belongs to, for {@link ChaosIT}'s second table. The child writes
 * each successful op's end time and duration, the test each fault's start and end (epoch millis,
 * one clock for both JVMs); an op belongs to the latest fault whose window it overlapped or that
 * ended at most {@link #GRACE_MILLIS} before it started, else to "quiet".
 */
final class LatencyByFault {
  /**
   * An op that started within this long after a fault ended still met it (a dead connection is
   * found by the next op, a few ms later); longer would bury the few slow ops in quiet ones.
   */
  static final long GRACE_MILLIS = 250;

  private LatencyByFault() {}

  /** When one injected fault ran, in epoch millis (the child's op times are epoch millis too). */
  record FaultWindow(String kind, long startMillis, long endMillis) {}

  /**
   * Latency of the successful ops by the fault they met: an op belongs to the latest fault whose
   * window (plus {@link #GRACE_MILLIS}) overlaps it, else to "quiet". One row per kind.
   */
  static List<Map<String, String>> rows(String run, Path latencies,
      List<FaultWindow> windows) throws IOException {
    Map<String, List<Long>> byKind = new TreeMap<>();
    if (Files.exists(latencies)) {
      for (String line : Files.readAllLines(latencies, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 2) {
          continue;
        }
        long end = Long.parseLong(parts[0]);
        long millis = Long.parseLong(parts[1]);
        byKind.computeIfAbsent(faultOf(end - millis, end, windows), k -> new ArrayList<>()).add(millis);
      }
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : byKind.entrySet()) {
      List<Long> sorted = new ArrayList<>(e.getValue());
      Collections.sort(sorted);
      Map<String, String> row = new LinkedHashMap<>();
      row.put("run", run);
      row.put("fault", e.getKey());
      row.put("ops", Integer.toString(sorted.size()));
      row.put("p50 ms", Long.toString(percentile(sorted, 50)));
      row.put("p99 ms", Long.toString(percentile(sorted, 99)));
      row.put("max ms", Long.toString(sorted.get(sorted.size() - 1)));
      rows.add(row);
    }
    return rows;
  }

  static String faultOf(long startMillis, long endMillis, List<FaultWindow> windows) {
    String kind = "quiet";
    long latestStart = Long.MIN_VALUE;
    for (FaultWindow w : windows) {
      boolean overlaps = startMillis <= w.endMillis() + GRACE_MILLIS && endMillis >= w.startMillis();
      if (overlaps && w.startMillis() > latestStart) {
        latestStart = w.startMillis();
        kind = w.kind();
      }
    }
    return kind;
  }

  static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** One row per fault kind, one column per run: the latency rows turned for reading. */
  static List<Map<String, String>> turned(List<Map<String, String>> latencyRows) {
    List<String> runs = new ArrayList<>();
    Map<String, Map<String, String>> byKind = new TreeMap<>();
    for (Map<String, String> r : latencyRows) {
      if (!runs.contains(r.get("run"))) {
        runs.add(r.get("run"));
      }
      byKind.computeIfAbsent(r.get("fault"), k -> new LinkedHashMap<>()).put(r.get("run"),
          r.get("p50 ms") + "/" + r.get("p99 ms") + "/" + r.get("max ms"));
    }
    List<Map<String, String>> rows = new ArrayList<>();
    byKind.forEach((kind, cells) -> {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("fault", kind);
      for (String run : runs) {
        row.put(run, cells.getOrDefault(run, "-"));
      }
      rows.add(row);
    });
    return rows;
  }
}
