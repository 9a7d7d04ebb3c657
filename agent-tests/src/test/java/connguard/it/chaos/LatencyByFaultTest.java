package connguard.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ChaosIT charges an op's latency to a fault: by overlap with the fault's window. */
class LatencyByFaultTest {
  private static final List<LatencyByFault.FaultWindow> WINDOWS = List.of(
      new LatencyByFault.FaultWindow("blackhole", 1000, 1300),
      new LatencyByFault.FaultWindow("cut", 5000, 5000));

  @Test
  void anOpBelongsToTheFaultItOverlapsOrFollowsClosely() {
    assertEquals("quiet", LatencyByFault.faultOf(100, 101, WINDOWS));
    assertEquals("blackhole", LatencyByFault.faultOf(900, 1301, WINDOWS), "in flight during it");
    assertEquals("blackhole", LatencyByFault.faultOf(1300 + LatencyByFault.GRACE_MILLIS, 1600, WINDOWS),
        "started within the grace after it");
    assertEquals("quiet", LatencyByFault.faultOf(1301 + LatencyByFault.GRACE_MILLIS, 1600, WINDOWS));
    assertEquals("cut", LatencyByFault.faultOf(5001, 5002, WINDOWS), "the next op meets the cut connection");
    assertEquals("cut", LatencyByFault.faultOf(1200, 5100, WINDOWS), "spanning both: the later fault");
  }

  @Test
  void percentilesPerKindFromTheChildsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latencies.txt");
    // end millis, duration millis: three quiet ops, two during the blackhole.
    Files.write(file, List.of("100 1", "200 2", "300 3", "1250 200", "1310 310"));
    List<Map<String, String>> rows = LatencyByFault.rows("r", file, WINDOWS);
    assertEquals(2, rows.size());
    assertEquals(Map.of("run", "r", "fault", "blackhole", "ops", "2", "p50 ms", "200", "p99 ms", "310",
        "max ms", "310"), rows.get(0));
    assertEquals("quiet", rows.get(1).get("fault"));
    assertEquals("2", rows.get(1).get("p50 ms"));
    assertEquals("3", rows.get(1).get("max ms"));
  }

  @Test
  void theReportShowsOneRowPerFaultAndOneColumnPerRun() {
    List<Map<String, String>> rows = LatencyByFault.turned(List.of(
        Map.of("run", "a", "fault", "cut", "ops", "1", "p50 ms", "1", "p99 ms", "2", "max ms", "3"),
        Map.of("run", "b", "fault", "quiet", "ops", "1", "p50 ms", "0", "p99 ms", "1", "max ms", "1")));
    assertEquals(List.of(Map.of("fault", "cut", "a", "1/2/3", "b", "-"),
        Map.of("fault", "quiet", "a", "-", "b", "0/1/1")), rows);
  }
}
