package connguard.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.examples.DemoJvm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `make demo-boot` promises: the Spring Boot service fails across the H2 restart without the
 * agent, and with it processes every job exactly once (the demo's own admin check), its three held
 * transactions refused as 40001, rolled back by Spring and run again; and what the service's own
 * /actuator/prometheus shows of it, read by the demo over HTTP. Each demo runs once, for both tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootJobsDemoIT {
  private static final String DEMO = "connguard.examples.boot.BootJobsDemo";
  /** The demo's line for one Prometheus sample: name, optional {labels}, value. */
  private static final Pattern SAMPLE = Pattern.compile("^metrics: +(connguard_[a-z_]+)(?:\\{([^}]*)})? (\\S+)$");
  private static final Pattern SAMPLE_LINE = Pattern.compile("metrics: +connguard_");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\",?");
  /** The embedded H2 the demo starts: "database: H2 TCP server ..., jdbc:h2:tcp://127.0.0.1:PORT/demo". */
  private static final Pattern H2_URL = Pattern.compile("jdbc:h2:tcp://127\\.0\\.0\\.1:(\\d+)/demo");

  private DemoJvm.Run without;
  private DemoJvm.Run with;

  @BeforeAll
  void runTheDemoWithoutAndWithTheAgent(@TempDir Path dir) throws Exception {
    without = DemoJvm.start(dir, DEMO, null, Map.of()).finish();
    with = DemoJvm.start(dir, DEMO, DemoJvm.agent(), Map.of()).finish();
  }

  @Test
  void failsWithoutTheAgentAndProcessesEveryJobOnceWithIt() {
    assertEquals(1, without.exit, "without the agent jobs fail:\n" + without.output);
    assertTrue(without.result().contains("FAILED"), without.result());

    assertEquals(0, with.exit, "with the agent every job is done exactly once:\n" + with.output);
    assertTrue(with.result().contains("3 transactions rolled back with a transient error and run again"),
        "each held transaction surfaced to Spring as 40001 and was rolled back: " + with.result());
    assertTrue(with.output.contains("CannotAcquireLockException: 40001"), with.output);
  }

  @Test
  void actuatorPrometheusShowsTheAgentsCountersAndServerGaugesOnlyWithTheAgent() {
    assertTrue(samples(without).isEmpty(), "no connguard_ meter without the agent:\n" + without.output);
    assertTrue(without.output.contains("metrics: no connguard_ line at http://127.0.0.1:"), without.output);

    Map<String, Sample> meters = samples(with);
    String shown = String.join("\n", meters.keySet()) + "\n" + with.output;
    // The fault's own numbers: three held connections found dead before use, replaced, and their
    // transactions lost (the three rolled back and run again that the other test counts).
    assertEquals(3.0, value(meters, "connguard_transactions_lost_total", shown), shown);
    assertTrue(value(meters, "connguard_dead_connections_detected_total", shown) >= 3, shown);
    assertTrue(value(meters, "connguard_reconnects_total", shown) >= 3, shown);
    assertTrue(value(meters, "connguard_connections_guarded_total", shown) >= 1, shown);

    Matcher url = H2_URL.matcher(with.output);
    assertTrue(url.find(), "the demo names its H2 server:\n" + with.output);
    Map<String, String> server = Map.of("db_system", "h2", "server_address", "127.0.0.1",
        "server_port", url.group(1), "db_namespace", "demo");
    Sample open = meters.get("connguard_connections_open");
    assertTrue(open != null && open.value >= 1, "a gauge of open connections to the H2 server:\n" + shown);
    assertTrue(meters.containsKey("connguard_connections_oldest_idle_seconds"), shown);
    // Every meter, counters and gauges, is tagged with the server, and nothing else: the host, port
    // and database of the URL, never a user, a password or a URL parameter.
    for (Sample sample : meters.values()) {
      assertEquals(server, sample.labels, sample.line);
      String lower = sample.line.toLowerCase(Locale.ROOT);
      assertFalse(lower.contains("user") || lower.contains("password"), sample.line);
    }
    assertTrue(with.output.contains("metrics: /actuator/metrics/connguard.statements.retried: {"), with.output);
  }

  private static double value(Map<String, Sample> meters, String name, String shown) {
    Sample sample = meters.get(name);
    assertTrue(sample != null, name + " is at /actuator/prometheus:\n" + shown);
    return sample.value;
  }

  /** The connguard_ samples the demo printed from its /actuator/prometheus, by meter name. */
  private static Map<String, Sample> samples(DemoJvm.Run run) {
    Map<String, Sample> samples = new LinkedHashMap<>();
    List<String> lines = run.output.lines().filter(l -> SAMPLE_LINE.matcher(l).lookingAt()).toList();
    for (String line : lines) {
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "a Prometheus sample: " + line);
      Map<String, String> labels = new LinkedHashMap<>();
      Matcher label = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      // One series per meter here: one server, and no meter twice.
      assertTrue(samples.put(m.group(1), new Sample(line, m.group(1), labels, Double.parseDouble(m.group(3)))) == null,
          "one series of " + m.group(1) + ":\n" + run.output);
    }
    return samples;
  }

  private record Sample(String line, String name, Map<String, String> labels, double value) {}
}
