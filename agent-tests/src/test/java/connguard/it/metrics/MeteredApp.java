package connguard.it.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.management.ObjectName;

/**
 * The app of the child JVM: sets up its metrics as a service would (a Micrometer registry in
 * {@code Metrics.globalRegistry}, as Spring Boot Actuator does; an OpenTelemetry SDK registered
 * as GlobalOpenTelemetry), then answers commands from stdin, one line each on stdout:
 * {@code connect <url> [user [password]]}, {@code sleep <ms>}, {@code query <sql>} and {@code update <sql>} (each inside a span of its
 * own), {@code meters} (Micrometer's connguard meters), {@code otel} (OpenTelemetry's), {@code
 * events} (the span events recorded), {@code mbean <Attribute>}, {@code quit}.
 *
 * <p>System property {@value #WITH}: {@code micrometer}, {@code otel}, or both, comma-separated.
 */
public final class MeteredApp {
  static final String WITH = "meteredApp.with";
  private static final int MAX_COMMANDS = 10_000;

  private final SimpleMeterRegistry registry;
  private final InMemoryMetricReader metrics;
  private final InMemorySpanExporter spans;
  private final Tracer tracer;
  private Connection connection;

  private MeteredApp(String with) {
    registry = with.contains("micrometer") ? new SimpleMeterRegistry() : null;
    if (registry != null) {
      Metrics.globalRegistry.add(registry);
    }
    if (with.contains("otel")) {
      metrics = InMemoryMetricReader.create();
      spans = InMemorySpanExporter.create();
      OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .buildAndRegisterGlobal();
      tracer = sdk.getTracer("metered-app");
    } else {
      metrics = null;
      spans = null;
      tracer = null;
    }
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);     // stdout carries answers only
    MeteredApp app = new MeteredApp(System.getProperty(WITH, ""));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("READY");
    for (int i = 0; i < MAX_COMMANDS; i++) {
      String line = in.readLine();
      if (line == null || line.equals("quit")) {
        break;
      }
      String answer;
      try {
        answer = "OK " + app.run(line);
      } catch (SQLException e) {
        answer = "ERR " + e.getSQLState() + " " + String.valueOf(e.getMessage()).split("\n", 2)[0];
      } catch (Exception e) {
        answer = "ERR - " + e;
      }
      out.println(answer);
    }
    System.exit(0);
  }

  private String run(String line) throws Exception {
    int space = line.indexOf(' ');
    String command = space < 0 ? line : line.substring(0, space);
    String rest = space < 0 ? "" : line.substring(space + 1);
    switch (command) {
      case "connect": {
        String[] words = rest.split(" ");
        connection = words.length == 1 ? DriverManager.getConnection(words[0])
            : DriverManager.getConnection(words[0], words[1], words.length > 2 ? words[2] : "");
        return "connected";
      }
      case "sleep":
        Thread.sleep(Long.parseLong(rest));     // the scenario: a connection left idle this long
        return "slept";
      case "query":
        return inSpan("query", () -> {
          try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(rest)) {
            return rs.next() ? rs.getString(1) : "no rows";
          }
        });
      case "update":
        return inSpan("update", () -> {
          try (Statement s = connection.createStatement()) {
            return String.valueOf(s.executeUpdate(rest));
          }
        });
      case "meters":
        return micrometerMeters();
      case "otel":
        return otelMetrics();
      case "events":
        return spanEvents();
      case "mbean":
        return mbean(rest);
      default:
        throw new IllegalArgumentException("unknown command " + command);
    }
  }

  private interface Jdbc {
    String call() throws SQLException;
  }

  /** The app's own span around its JDBC call, as a traced request handler has one. */
  private String inSpan(String name, Jdbc call) throws SQLException {
    if (tracer == null) {
      return call.call();
    }
    Span span = tracer.spanBuilder(name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return call.call();
    } finally {
      span.end();
    }
  }

  /** {@code name{k=v,...}=value ; ...}, sorted; connguard's meters only. */
  private String micrometerMeters() {
    TreeMap<String, String> found = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      if (!meter.getId().getName().startsWith("connguard.")) {
        continue;
      }
      List<String> tags = new ArrayList<>();
      for (Tag tag : meter.getId().getTags()) {
        tags.add(tag.getKey() + "=" + tag.getValue());
      }
      String unit = meter.getId().getBaseUnit() == null ? "" : "[" + meter.getId().getBaseUnit() + "]";
      found.put(meter.getId().getName() + unit + "{" + String.join(",", tags) + "}",
          String.valueOf(meter.measure().iterator().next().getValue()));
    }
    return join(found);
  }

  private String otelMetrics() {
    TreeMap<String, String> found = new TreeMap<>();
    for (MetricData data : metrics.collectAllMetrics()) {
      if (!data.getInstrumentationScopeInfo().getName().equals("connguard")) {
        continue;
      }
      for (PointData point : data.getData().getPoints()) {
        Object value = point instanceof LongPointData ? (Object) ((LongPointData) point).getValue()
            : (Object) ((DoublePointData) point).getValue();
        found.put(data.getName() + "[" + data.getUnit() + "]" + attributes(point.getAttributes()), String.valueOf(value));
      }
    }
    return join(found);
  }

  private String spanEvents() {
    List<String> found = new ArrayList<>();
    for (SpanData span : spans.getFinishedSpanItems()) {
      for (EventData event : span.getEvents()) {
        found.add(span.getName() + "/" + event.getName() + attributes(event.getAttributes()));
      }
    }
    return String.join(" ; ", found);
  }

  private static String attributes(Attributes attributes) {
    TreeMap<String, String> sorted = new TreeMap<>();
    attributes.forEach((key, value) -> sorted.put(key.getKey(), String.valueOf(value)));
    List<String> pairs = new ArrayList<>();
    sorted.forEach((k, v) -> pairs.add(k + "=" + v));
    return "{" + String.join(",", pairs) + "}";
  }

  private static String join(TreeMap<String, String> found) {
    List<String> pairs = new ArrayList<>();
    found.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(" ; ", pairs);
  }

  private static String mbean(String attribute) throws Exception {
    ObjectName name = new ObjectName("connguard:type=Stats");
    if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
      return "absent";
    }
    return String.valueOf(ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute));
  }
}
