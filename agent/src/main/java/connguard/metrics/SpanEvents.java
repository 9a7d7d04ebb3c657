package connguard.metrics;

import java.lang.reflect.Method;

/**
 * An event on the app's current span ({@code Span.current().addEvent(name, attributes)}) for each
 * recovery or refusal: what (the event's name, {@link Events}), which connection and server, how
 * long where measured, and the event line itself, which says why. Through the app's OpenTelemetry
 * API, found by reflection; with no span current, or one not recording, nothing is built.
 */
final class SpanEvents {
  static final String LINE = "connguard.line";
  static final String CONNECTION = "connguard.connection.id";
  static final String DURATION = "connguard.duration_ms";

  private final Method current;
  private final Method isRecording;
  private final Method addEvent;
  private final OtelAttributes attributes;

  private SpanEvents(Class<?> span, OtelAttributes attributes) throws NoSuchMethodException {
    this.current = span.getMethod("current");
    this.isRecording = span.getMethod("isRecording");
    this.addEvent = span.getMethod("addEvent", String.class, attributes.type());
    this.attributes = attributes;
  }

  /** The app's OpenTelemetry API, or null when it has none. */
  static SpanEvents find(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> span = AppClasses.find("io.opentelemetry.api.trace.Span", loader);
    return span == null ? null : new SpanEvents(span, OtelAttributes.find(loader));
  }

  /** @param elapsedMillis how long it took, or a negative number when not measured */
  void add(String name, String line, long connectionId, ServerTags server, long elapsedMillis)
      throws ReflectiveOperationException {
    Object span = current.invoke(null);
    if (span == null || !Boolean.TRUE.equals(isRecording.invoke(span))) {
      return;
    }
    Object builder = attributes.builder();
    attributes.put(builder, LINE, line);
    attributes.put(builder, CONNECTION, connectionId);
    if (elapsedMillis >= 0) {
      attributes.put(builder, DURATION, elapsedMillis);
    }
    attributes.putServer(builder, server);
    addEvent.invoke(span, name, attributes.build(builder));
  }

  @Override public String toString() {
    return "OpenTelemetry span events";
  }
}
