package connguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.config.Options;
import connguard.stats.Stats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recovery is an event on the span the app's call runs in: found through the app's
 * OpenTelemetry API by reflection ({@code Span.current()}), no global OpenTelemetry needed.
 */
class SpanEventsTest {
  private static final String LINE = "connguard: connection #7 to jdbc:postgresql://db1:5432/app died (57P01"
      + " terminating connection due to administrator command); reconnected and re-executed executeQuery (read) in 14 ms";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Tracer tracer = tracing.get("the app");

  @AfterEach
  void close() {
    tracing.close();
  }

  private AppMetrics metrics(String args) {
    AppMetrics metrics = new AppMetrics(Options.load(args, null, null, null), new Stats(), new FixedReadings());
    metrics.appReady(getClass().getClassLoader());
    return metrics;
  }

  /** Runs the event inside a span of the app's, as a JDBC call inside a traced request would. */
  private List<EventData> eventsOf(AppMetrics metrics, String name, ServerTags server, long elapsedMillis) {
    Span span = tracer.spanBuilder("GET /orders").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      metrics.event(name, LINE, 7, server, elapsedMillis);
    } finally {
      span.end();
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertEquals(1, spans.size());
    return spans.get(0).getEvents();
  }

  @Test
  void aReexecutionSaysWhatWhyHowLongAndWhere() {
    List<EventData> events = eventsOf(metrics(""), Events.REEXECUTED,
        ServerTags.of("postgresql", "db1", "5432", "app"), 14);
    assertEquals(1, events.size());
    EventData event = events.get(0);
    assertEquals("connguard.reexecuted", event.getName());
    Attributes a = event.getAttributes();
    assertEquals(LINE, a.get(AttributeKey.stringKey("connguard.line")));
    assertEquals(7L, a.get(AttributeKey.longKey("connguard.connection.id")));
    assertEquals(14L, a.get(AttributeKey.longKey("connguard.duration_ms")));
    assertEquals("postgresql", a.get(AttributeKey.stringKey("db.system")));
    assertEquals("db1", a.get(AttributeKey.stringKey("server.address")));
    assertEquals(5432L, a.get(AttributeKey.longKey("server.port")));
    assertEquals("app", a.get(AttributeKey.stringKey("db.namespace")));
  }

  @Test
  void aRefusalWithoutDurationOrKnownServerCarriesOnlyWhatIsKnown() {
    List<EventData> events = eventsOf(metrics(""), Events.REFUSED, ServerTags.UNKNOWN, -1);
    Attributes a = events.get(0).getAttributes();
    assertEquals("connguard.refused", events.get(0).getName());
    assertNull(a.get(AttributeKey.longKey("connguard.duration_ms")));
    assertNull(a.get(AttributeKey.stringKey("db.system")));
    assertEquals(2, a.size(), a.toString());
  }

  @Test
  void jmxOrNoneAddsNoEvent() {
    assertTrue(eventsOf(metrics("metrics=jmx"), Events.REEXECUTED, ServerTags.UNKNOWN, 1).isEmpty());
    exporter.reset();
    assertTrue(eventsOf(metrics("metrics=none"), Events.REEXECUTED, ServerTags.UNKNOWN, 1).isEmpty());
  }

  @Test
  void noSpanCurrentIsNoEventAndNoError() {
    metrics("").event(Events.REFUSED, LINE, 7, ServerTags.UNKNOWN, -1);
    assertTrue(exporter.getFinishedSpanItems().isEmpty());
  }

  @Test
  void beforeTheFirstConnectionNothingIsLookedFor() {
    AppMetrics metrics = new AppMetrics(Options.defaults(), new Stats(), new FixedReadings());
    Span span = tracer.spanBuilder("startup").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      metrics.event(Events.REEXECUTED, LINE, 1, ServerTags.UNKNOWN, 3);
    } finally {
      span.end();
    }
    assertTrue(exporter.getFinishedSpanItems().get(0).getEvents().isEmpty());
  }
}
