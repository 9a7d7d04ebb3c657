package connguard.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.config.Options;
import connguard.stats.Counts;
import connguard.stats.Stats;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's meters in the app's OpenTelemetry SDK, registered as GlobalOpenTelemetry the way an
 * app (or the OpenTelemetry Java agent) does, read with the SDK's in-memory reader.
 */
class OtelMetersTest {
  private static final ServerTags PG = ServerTags.of("postgresql", "db1", "5432", "app");

  private final Stats stats = new Stats();
  private final FixedReadings readings = new FixedReadings();
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
      .build();

  @BeforeEach
  void clearGlobals() throws Exception {
    GlobalState.clear();
  }

  @AfterEach
  void closeSdk() throws Exception {
    GlobalState.clear();
    sdk.close();
  }

  private AppMetrics bound(String args) {
    AppMetrics metrics = new AppMetrics(Options.load(args, null, null, null), stats, readings);
    metrics.appReady(getClass().getClassLoader());
    return metrics;
  }

  private MetricData metric(String name) {
    for (MetricData data : reader.collectAllMetrics()) {
      if (data.getName().equals(name)) {
        return data;
      }
    }
    return null;
  }

  @Test
  void countersAreAsynchronousMonotonicSumsOfTheMeterConnguard() {
    GlobalOpenTelemetry.set(sdk);
    AppMetrics metrics = bound("metrics=auto");
    Counts pg = stats.countsOf(metrics.server(PG));
    pg.reconnects.add(2);
    String where = metrics.bind();
    assertTrue(where.contains("OpenTelemetry (meter connguard)"), where);
    pg.reconnects.increment();

    MetricData reconnects = metric("connguard.reconnects");
    assertEquals(MetricDataType.LONG_SUM, reconnects.getType());
    assertTrue(reconnects.getLongSumData().isMonotonic());
    assertEquals("connguard", reconnects.getInstrumentationScopeInfo().getName());
    assertEquals("{connection}", reconnects.getUnit());
    assertEquals("fresh physical connections opened to replace dead ones", reconnects.getDescription());
    LongPointData point = reconnects.getLongSumData().getPoints().iterator().next();
    assertEquals(3, point.getValue(), "read at collection");
    assertEquals("db1", point.getAttributes().get(AttributeKey.stringKey("server.address")));
    assertEquals(5432L, point.getAttributes().get(AttributeKey.longKey("server.port")));
  }

  @Test
  void countersHaveOnePointPerServerTheirCountsKeptApart() {
    GlobalOpenTelemetry.set(sdk);
    AppMetrics metrics = bound("");
    Counts pg = stats.countsOf(metrics.server(PG));
    metrics.bind();
    Counts h2 = stats.countsOf(metrics.server(ServerTags.of("h2", "127.0.0.1", "9092", "mem:demo")));
    pg.statementsRetried.add(4);
    h2.statementsRetried.add(1);
    h2.transactionsLost.add(2);

    List<String> points = new ArrayList<>();
    for (LongPointData point : metric("connguard.statements.retried").getLongSumData().getPoints()) {
      points.add(point.getAttributes().get(AttributeKey.stringKey("db.system")) + "=" + point.getValue());
    }
    points.sort(null);
    assertEquals(Arrays.asList("h2=1", "postgresql=4"), points);
    for (LongPointData point : metric("connguard.transactions.lost").getLongSumData().getPoints()) {
      boolean isH2 = "h2".equals(point.getAttributes().get(AttributeKey.stringKey("db.system")));
      assertEquals(isH2 ? 2 : 0, point.getValue(), point.toString());
    }
    assertEquals(5, stats.getStatementsRetried(), "the MBean: the sum of the servers");
  }

  @Test
  void everyCounterIsThereUnderTheSameNameAsInMicrometer() {
    GlobalOpenTelemetry.set(sdk);
    AppMetrics metrics = bound("");
    metrics.server(PG);
    metrics.bind();
    TreeSet<String> names = new TreeSet<>();
    for (MetricData data : reader.collectAllMetrics()) {
      if (data.getType() == MetricDataType.LONG_SUM) {
        names.add(data.getName());
      }
    }
    TreeSet<String> table = new TreeSet<>();
    for (Meters.Counter counter : Meters.counters()) {
      table.add(counter.name);
    }
    assertEquals(table, names);
    assertEquals(13, names.size());
  }

  @Test
  void gaugesHaveOnePointPerServerWithItsAttributes() {
    GlobalOpenTelemetry.set(sdk);
    AppMetrics metrics = bound("");
    metrics.bind();
    ServerTags pg = metrics.server(ServerTags.of("postgresql", "db1", "5432", "app"));
    ServerTags anonymous = metrics.server(ServerTags.UNKNOWN);
    readings.set(pg, 4, 2500);
    readings.set(anonymous, 1, 0);

    MetricData open = metric(Meters.OPEN);
    assertEquals(MetricDataType.LONG_GAUGE, open.getType());
    List<Attributes> servers = new ArrayList<>();
    for (LongPointData point : open.getLongGaugeData().getPoints()) {
      servers.add(point.getAttributes());
      if (point.getAttributes().isEmpty()) {
        assertEquals(1, point.getValue(), "unknown parts are left out");
      } else {
        assertEquals(4, point.getValue());
        assertEquals("postgresql", point.getAttributes().get(AttributeKey.stringKey("db.system")));
        assertEquals("db1", point.getAttributes().get(AttributeKey.stringKey("server.address")));
        assertEquals(5432L, point.getAttributes().get(AttributeKey.longKey("server.port")));
        assertEquals("app", point.getAttributes().get(AttributeKey.stringKey("db.namespace")));
      }
    }
    assertEquals(2, servers.size(), servers.toString());

    MetricData idle = metric(Meters.OLDEST_IDLE);
    assertEquals("s", idle.getUnit());
    Collection<DoublePointData> points = idle.getDoubleGaugeData().getPoints();
    double max = 0;
    for (DoublePointData point : points) {
      max = Math.max(max, point.getValue());
    }
    assertEquals(2.5, max);
  }

  @Test
  void noGlobalSetIsLeftAloneSoTheAppsOwnSetStillWorks() {
    assertFalse(GlobalOpenTelemetry.isSet());
    String where = bound("").bind();
    assertFalse(where.contains("OpenTelemetry"), where);
    // GlobalOpenTelemetry.get() here would have fixed a no-op global, and the app's set() would throw.
    assertFalse(GlobalOpenTelemetry.isSet());
    assertDoesNotThrow(() -> GlobalOpenTelemetry.set(sdk));
    assertNull(metric("connguard.reconnects"), "nothing was bound to the app's later SDK");
  }

  @Test
  void jmxOnlyAddsNothingToTheSdk() {
    GlobalOpenTelemetry.set(sdk);
    bound("metrics=jmx").bind();
    assertTrue(reader.collectAllMetrics().isEmpty());
  }
}
