package connguard.it.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's counters where the app's metrics are, against one database: a read re-executed
 * after the server killed its connection moves the counters in the app's Micrometer and
 * OpenTelemetry and is an event on the app's span; a refused write and a connection replaced
 * after failing validation are events too; metrics=jmx and none leave the app's metrics alone.
 */
abstract class AppMetricsSuite {
  /**
   * The binding waits 1-5 s after the first connection (until the app stops loading classes); a loaded CI machine takes longer.
   * Reads are re-executed only with validateIdleAfter=off: a restart may take longer than 2s,
   * after which validation would replace the connection before the read (another test's case).
   */
  static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);
  static final List<String> COUNTERS = List.of("connguard.commit.outcomes.resolved", "connguard.connections.guarded",
      "connguard.connections.recycled", "connguard.dead.connections.detected", "connguard.failovers.followed",
      "connguard.reconnects",
      "connguard.replays.refused", "connguard.retries.exhausted", "connguard.retries.refused",
      "connguard.statements.retried", "connguard.transactions.lost", "connguard.transactions.replayed",
      "connguard.validations.failed");

  @TempDir
  Path dir;

  /** What the app's connect command gets: the URL, and user and password where the URL has none. */
  abstract String connectArgs();

  /** Kills the app's connection the way production does. */
  abstract void killConnection();

  /** A table {@code name (id int)} the app may insert into. */
  abstract void createTable(String name);

  /** The server's tags as Micrometer shows them: db.namespace, db.system, server.address, server.port. */
  abstract String serverTags();

  /** The same as OpenTelemetry attributes, as MeteredApp prints them. */
  abstract String serverAttributes();

  /** A Micrometer meter as MeteredApp names it: its name (and [base unit]), then this server's tags. */
  String tagged(String meter) {
    return meter + "{" + serverTags() + "}";
  }

  /** An OpenTelemetry instrument as MeteredApp names it: name[unit], then this server's attributes. */
  String attributed(String instrument) {
    return instrument + "{" + serverAttributes() + "}";
  }

  /** Must appear nowhere in the app's meters or events: a password in the URL. */
  String secret() {
    return "hunter2";
  }

  /** The app connects and reads once; then its connection is killed under it. */
  private void connectThenKill(MeteredJvm app) {
    app.ok("connect " + connectArgs());
    assertEquals("1", app.ok("query select 1"));
    killConnection();
  }

  @Test
  void micrometerCountsAReexecutedReadAndTagsItsServer() {
    try (MeteredJvm app = MeteredJvm.start("validateIdleAfter=off", "micrometer", dir)) {
      connectThenKill(app);
      assertEquals("2", app.ok("query select 2"));

      Map<String, String> meters = MeteredJvm.values(
          app.await("meters", m -> m.contains("connguard.connections.oldest.idle"), BIND_TIMEOUT));   // bound last
      assertEquals("1.0", meters.get(tagged("connguard.statements.retried")), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.dead.connections.detected")), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.reconnects")), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.connections.guarded")), "the replacement is not a new one");
      assertEquals("0.0", meters.get(tagged("connguard.retries.refused")), meters.toString());
      for (String counter : COUNTERS) {
        assertTrue(meters.containsKey(tagged(counter)), counter + " in " + meters);
      }
      assertEquals("1.0", meters.get(tagged("connguard.connections.open")), meters.toString());
      assertTrue(meters.containsKey(tagged("connguard.connections.oldest.idle[seconds]")),
          meters.toString());
      assertEquals(COUNTERS.size() + 2, meters.size(), "13 counters, 2 gauges, of one server: " + meters);
      assertFalse(meters.toString().contains(secret()), meters.toString());
      app.awaitStderr("counters in: JMX connguard:type=Stats, Micrometer (Metrics.globalRegistry);", BIND_TIMEOUT);
      assertEquals("1", app.ok("mbean StatementsRetried"), "the MBean: the JVM's total");
    }
  }

  @Test
  void openTelemetryCountsAReexecutedReadAndTheAppsSpanSaysWhatWhyAndHowLong() {
    try (MeteredJvm app = MeteredJvm.start("validateIdleAfter=off", "otel", dir)) {
      connectThenKill(app);
      assertEquals("2", app.ok("query select 2"));

      String events = app.ok("events");
      assertTrue(events.startsWith("query/connguard.reexecuted{connguard.connection.id=1,connguard.duration_ms="),
          events);
      assertTrue(events.contains(",connguard.line=connguard: connection #1 to "), events);
      assertTrue(events.contains("reconnected and re-executed executeQuery (read) in "), events);
      assertTrue(events.endsWith("," + serverAttributes() + "}"), events);
      assertEquals(1, events.split("connguard\\.reexecuted").length - 1, "one event, on the call that healed: " + events);
      assertFalse(events.contains(secret()), events);

      Map<String, String> metrics = MeteredJvm.values(
          app.await("otel", m -> m.contains("connguard.connections.oldest.idle"), BIND_TIMEOUT));    // bound last
      assertEquals("1", metrics.get(attributed("connguard.statements.retried[{call}]")), metrics.toString());
      assertEquals("1", metrics.get(attributed("connguard.reconnects[{connection}]")), metrics.toString());
      assertEquals("1", metrics.get(attributed("connguard.connections.open[{connection}]")),
          metrics.toString());
      assertTrue(metrics.containsKey(attributed("connguard.connections.oldest.idle[s]")),
          metrics.toString());
      // Micrometer is on this app's class path too, unused: the agent binds it as well.
      app.awaitStderr("OpenTelemetry (meter connguard);", BIND_TIMEOUT);
    }
  }

  @Test
  void aRefusedWriteIsCountedAndAnEventOnTheAppsSpan() {
    createTable("metrics_refused");
    try (MeteredJvm app = MeteredJvm.start("validateIdleAfter=off", "micrometer,otel", dir)) {
      connectThenKill(app);
      assertTrue(app.send("update insert into metrics_refused values (1)").startsWith("ERR "),
          "an autocommit write whose outcome is unknown is not re-executed");

      String events = app.ok("events");
      assertTrue(events.startsWith("update/connguard.refused{connguard.connection.id=1,connguard.line=connguard: "),
          events);
      assertTrue(events.contains("executeUpdate not re-executed: write outcome unknown"), events);
      assertFalse(events.contains("connguard.duration_ms"), "nothing was re-executed to take time: " + events);
      Map<String, String> meters = MeteredJvm.values(
          app.await("meters", m -> m.contains(tagged("connguard.retries.refused") + "="), BIND_TIMEOUT));
      assertEquals("1.0", meters.get(tagged("connguard.retries.refused")), meters.toString());
      assertEquals("0.0", meters.get(tagged("connguard.statements.retried")), meters.toString());
    }
  }

  @Test
  void aConnectionReplacedAfterFailingValidationIsAReconnectedEvent() {
    createTable("metrics_validated");
    try (MeteredJvm app = MeteredJvm.start("validateIdleAfter=100ms", "micrometer,otel", dir)) {
      connectThenKill(app);
      app.ok("sleep 300");
      assertEquals("1", app.ok("update insert into metrics_validated values (1)"), "found dead before it was sent");

      String events = app.ok("events");
      assertTrue(events.startsWith("update/connguard.reconnected{connguard.connection.id=1,connguard.line=connguard: "),
          events);
      assertTrue(events.contains("failed validation after "), events);
      Map<String, String> meters = MeteredJvm.values(
          app.await("meters", m -> m.contains(tagged("connguard.validations.failed") + "="), BIND_TIMEOUT));
      assertEquals("1.0", meters.get(tagged("connguard.validations.failed")), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.reconnects")), meters.toString());
    }
  }

  @Test
  void jmxOnlyLeavesTheAppsMetricsAndSpansAlone() {
    try (MeteredJvm app = MeteredJvm.start("validateIdleAfter=off,metrics=jmx", "micrometer,otel", dir)) {
      connectThenKill(app);
      assertEquals("2", app.ok("query select 2"));
      assertEquals("1", app.await("mbean StatementsRetried", a -> !a.equals("absent"), BIND_TIMEOUT));
      assertEquals("", app.ok("meters"));
      assertEquals("", app.ok("otel"));
      assertEquals("", app.ok("events"));
      app.awaitStderr("counters in: JMX connguard:type=Stats;", BIND_TIMEOUT);
    }
  }

  @Test
  void noneRegistersNotEvenTheMBean() {
    try (MeteredJvm app = MeteredJvm.start("metrics=none", "micrometer", dir)) {
      app.ok("connect " + connectArgs());
      app.ok("query select 1");
      app.awaitStderr("counters in: none;", BIND_TIMEOUT);
      assertEquals("absent", app.ok("mbean StatementsRetried"));
      assertEquals("", app.ok("meters"));
    }
  }
}
