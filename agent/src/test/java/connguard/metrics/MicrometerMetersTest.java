package connguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.config.Options;
import connguard.stats.Counts;
import connguard.stats.Stats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's meters in the app's Micrometer, as an app with Spring Boot Actuator sees them: in a
 * registry added to {@code Metrics.globalRegistry}. Bound through {@link AppMetrics}, the way
 * the agent binds them, with a real {@link Stats}.
 */
class MicrometerMetersTest {
  private static final ServerTags DB1 = ServerTags.of("postgresql", "db1", "5432", "app");
  private static final ServerTags H2 = ServerTags.of("h2", "127.0.0.1", "9092", "mem:demo");

  private final Stats stats = new Stats();
  private final FixedReadings readings = new FixedReadings();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void addRegistry() throws Exception {
    GlobalState.clear();
    Metrics.globalRegistry.add(registry);
  }

  @AfterEach
  void removeRegistry() throws Exception {
    Metrics.globalRegistry.remove(registry);
    GlobalState.clear();
  }

  private AppMetrics bound(String args) {
    AppMetrics metrics = new AppMetrics(Options.load(args, null, null, null), stats, readings);
    metrics.appReady(getClass().getClassLoader());
    return metrics;
  }

  @Test
  void countersHaveOneSeriesPerServerReadFromItsCountsWhenScraped() {
    AppMetrics metrics = bound("");
    Counts db1 = stats.countsOf(metrics.server(DB1));
    db1.statementsRetried.add(3);
    String where = metrics.bind();
    assertTrue(where.contains("Micrometer (Metrics.globalRegistry)"), where);
    Counts h2 = stats.countsOf(metrics.server(H2));      // a server seen after the bind
    FunctionCounter retried = registry.get("connguard.statements.retried").tags("db.system", "postgresql",
        "server.address", "db1", "server.port", "5432", "db.namespace", "app").functionCounter();
    assertEquals(3.0, retried.count(), "counted before the bind: nothing lost");
    db1.statementsRetried.increment();
    h2.statementsRetried.add(10);
    h2.deadConnectionsDetected.add(5);
    assertEquals(4.0, retried.count(), "read when scraped; the other server's counts kept apart");
    FunctionCounter h2Retried = registry.get("connguard.statements.retried").tag("db.system", "h2").functionCounter();
    assertEquals(10.0, h2Retried.count());
    assertEquals("9092", h2Retried.getId().getTag("server.port"));
    assertEquals(5.0, registry.get("connguard.dead.connections.detected").tag("db.system", "h2").functionCounter().count());
    assertEquals(0.0, registry.get("connguard.dead.connections.detected").tag("db.system", "postgresql")
        .functionCounter().count());
    assertEquals(2, registry.find("connguard.statements.retried").functionCounters().size());
    assertEquals(14, stats.getStatementsRetried(), "the MBean: the JVM's total, the sum of the servers");
  }

  @Test
  void pastMaxServersTheRestCountUnderOneUnknownSeries() {
    AppMetrics metrics = bound("");
    metrics.bind();
    for (int i = 0; i < Servers.MAX; i++) {
      stats.countsOf(metrics.server(ServerTags.of("postgresql", "db" + i, "5432", "app"))).reconnects.increment();
    }
    ServerTags past = metrics.server(ServerTags.of("postgresql", "one-too-many", "5432", "app"));
    ServerTags furtherPast = metrics.server(ServerTags.of("mysql", "two-too-many", "3306", "app"));
    assertSame(ServerTags.UNKNOWN, past);
    assertSame(ServerTags.UNKNOWN, furtherPast);
    stats.countsOf(past).reconnects.add(2);
    stats.countsOf(furtherPast).reconnects.add(3);

    assertEquals(Servers.MAX + 1, registry.find("connguard.reconnects").functionCounters().size());
    assertEquals(5.0, registry.get("connguard.reconnects").tags("db.system", "unknown", "server.address", "unknown",
        "server.port", "unknown", "db.namespace", "unknown").functionCounter().count());
    assertEquals(1.0, registry.get("connguard.reconnects").tag("server.address", "db0").functionCounter().count());
    assertEquals(Servers.MAX + 5, stats.getReconnects());
  }

  @Test
  void everyCounterOfTheMBeanIsAMeterWithItsMeaning() {
    AppMetrics metrics = bound("");
    metrics.server(DB1);
    metrics.bind();
    TreeSet<String> names = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      if (meter instanceof FunctionCounter) {
        names.add(meter.getId().getName());
        assertNotNull(meter.getId().getDescription(), meter.getId().getName());
      }
    }
    assertEquals("[connguard.commit.outcomes.resolved, connguard.connections.guarded, connguard.connections.recycled,"
        + " connguard.dead.connections.detected, connguard.failovers.followed, connguard.reconnects,"
        + " connguard.replays.refused,"
        + " connguard.retries.exhausted, connguard.retries.refused, connguard.statements.retried,"
        + " connguard.transactions.lost, connguard.transactions.replayed, connguard.validations.failed]",
        names.toString());
  }

  @Test
  void gaugesHaveOneSeriesPerServerSeenBeforeOrAfterTheBind() {
    AppMetrics metrics = bound("");
    ServerTags db1 = metrics.server(ServerTags.of("postgresql", "db1", "5432", "app"));
    metrics.bind();
    ServerTags h2 = metrics.server(ServerTags.of("h2", "127.0.0.1", "9092", "mem:demo"));
    readings.set(db1, 3, 1500);
    readings.set(h2, 1, 0);

    Gauge open = registry.get(Meters.OPEN).tags("db.system", "postgresql", "server.address", "db1",
        "server.port", "5432", "db.namespace", "app").gauge();
    assertEquals(3.0, open.value());
    Gauge idle = registry.get(Meters.OLDEST_IDLE).tag("server.address", "db1").gauge();
    assertEquals(1.5, idle.value(), "seconds");
    assertEquals("seconds", idle.getId().getBaseUnit());
    assertEquals(1.0, registry.get(Meters.OPEN).tag("db.system", "h2").tag("db.namespace", "mem:demo").gauge().value());
    assertEquals(2, registry.find(Meters.OPEN).gauges().size());

    readings.set(db1, 0, 0);
    assertEquals(0.0, open.value(), "read when scraped");
  }

  @Test
  void aServerTheUrlDoesNotNameIsTaggedUnknown() {
    AppMetrics metrics = bound("");
    metrics.bind();
    readings.set(metrics.server(ServerTags.UNKNOWN), 2, 0);
    assertEquals(2.0, registry.get(Meters.OPEN).tags("db.system", "unknown", "server.address", "unknown",
        "server.port", "unknown", "db.namespace", "unknown").gauge().value());
  }

  @Test
  void prometheusNamesAreTheOnesTheReadmeQueries() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.globalRegistry.add(prometheus);
    try {
      AppMetrics metrics = bound("");
      readings.set(metrics.server(DB1), 2, 2500);
      metrics.bind();
      stats.countsOf(metrics.server(DB1)).statementsRetried.add(7);
      String scrape = prometheus.scrape();
      assertTrue(scrape.contains("\nconnguard_statements_retried_total{db_namespace=\"app\",db_system=\"postgresql\","
          + "server_address=\"db1\",server_port=\"5432\"} 7.0\n"), scrape);
      assertTrue(scrape.contains("# HELP connguard_statements_retried_total calls re-executed on a fresh connection"),
          scrape);
      assertTrue(scrape.contains("\nconnguard_connections_open{db_namespace=\"app\",db_system=\"postgresql\","
          + "server_address=\"db1\",server_port=\"5432\"} 2.0\n"), scrape);
      assertTrue(scrape.contains("\nconnguard_connections_oldest_idle_seconds{db_namespace=\"app\",db_system=\"postgresql\","
          + "server_address=\"db1\",server_port=\"5432\"} 2.5\n"), scrape);
    } finally {
      Metrics.globalRegistry.remove(prometheus);
    }
  }

  @Test
  void jmxOnlyLeavesTheAppsRegistryAlone() {
    AppMetrics metrics = bound("metrics=jmx");
    metrics.server(H2);
    assertEquals("JMX " + Stats.OBJECT_NAME, metrics.bind());
    assertTrue(registry.getMeters().isEmpty(), registry.getMeters().toString());
  }

  @Test
  void noneRegistersNotEvenTheMBean() throws Exception {
    AppMetrics metrics = bound("metrics=none");
    assertEquals("none", metrics.bind());
    assertTrue(registry.getMeters().isEmpty());
    assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(Stats.OBJECT_NAME)));
  }

  @Test
  void autoRegistersTheMBeanToo() throws Exception {
    bound("").bind();
    assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(Stats.OBJECT_NAME)));
  }

  @Test
  void anAppWithoutMicrometerOrOpenTelemetryGetsTheMBeanAndNoError() throws Exception {
    List<String> where = new ArrayList<>();
    try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
      AppMetrics metrics = new AppMetrics(Options.defaults(), stats, readings);
      metrics.appReady(bare);
      where.add(metrics.bind());
      metrics.event(Events.REFUSED, "connguard: a line", 1, H2, -1);   // no OpenTelemetry there: nothing
    }
    assertEquals(Collections.singletonList("JMX " + Stats.OBJECT_NAME), where);
    assertTrue(registry.getMeters().isEmpty());
  }
}
