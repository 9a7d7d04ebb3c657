package connguard.metrics;

import connguard.log.Log;
import connguard.stats.Stats;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The agent's meters in the app's OpenTelemetry: asynchronous counters and gauges of the meter
 * {@code connguard}, from {@code GlobalOpenTelemetry}, whose callbacks read the counters when the
 * app's SDK collects. Called by reflection in the app's class loader.
 */
final class OtelMeters {
  private static final String API = "io.opentelemetry.api.";
  /** On the bootstrap class path wherever the OpenTelemetry Java agent runs. */
  static final String JAVA_AGENT_CLASS = "io.opentelemetry.javaagent.bootstrap.AgentInitializer";

  private final Object meter;
  private final OtelAttributes attributes;
  private final Method counterBuilder;
  private final Method gaugeBuilder;
  private final Method recordLongWith;
  private final Method recordDoubleWith;
  /** The instruments: the SDK keeps their callbacks; these keep them reachable from the agent too. */
  private final List<Object> instruments = new ArrayList<Object>();

  private OtelMeters(ClassLoader loader, Object meter) throws ReflectiveOperationException {
    this.meter = meter;
    this.attributes = OtelAttributes.find(loader);
    Class<?> meterType = Class.forName(API + "metrics.Meter", false, loader);
    this.counterBuilder = meterType.getMethod("counterBuilder", String.class);
    this.gaugeBuilder = meterType.getMethod("gaugeBuilder", String.class);
    Class<?> longs = Class.forName(API + "metrics.ObservableLongMeasurement", false, loader);
    Class<?> doubles = Class.forName(API + "metrics.ObservableDoubleMeasurement", false, loader);
    this.recordLongWith = longs.getMethod("record", long.class, attributes.type());
    this.recordDoubleWith = doubles.getMethod("record", double.class, attributes.type());
  }

  /**
   * The meter {@code connguard} of the app's global OpenTelemetry; null when the app has no
   * OpenTelemetry API.
   *
   * @throws IllegalStateException when it has one but no global is set (nothing to bind to)
   */
  static OtelMeters find(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> global = AppClasses.find(API + "GlobalOpenTelemetry", loader);
    if (global == null) {
      return null;
    }
    Object openTelemetry = globalIfSet(global);
    if (openTelemetry == null) {
      throw new IllegalStateException("GlobalOpenTelemetry is not set (no SDK registered as global, no"
          + " OpenTelemetry Java agent)");
    }
    Method getMeter = Class.forName(API + "OpenTelemetry", false, loader).getMethod("getMeter", String.class);
    return new OtelMeters(loader, getMeter.invoke(openTelemetry, "connguard"));
  }

  /**
   * {@code GlobalOpenTelemetry.get()}, only where calling it changes nothing for the app: before
   * the app's own {@code set(sdk)}, get() would fix a no-op global (or configure an SDK of its
   * own) and that set() would then throw. So: when a global is set (isSet(); an API too old to
   * have it gets no meters here), or under the OpenTelemetry Java agent, whose instrumentation
   * answers get() with its own.
   */
  static Object globalIfSet(Class<?> global) throws ReflectiveOperationException {
    boolean set;
    try {
      set = Boolean.TRUE.equals(global.getMethod("isSet").invoke(null));
    } catch (NoSuchMethodException olderApi) {
      set = false;
    }
    return set || javaAgentRuns() ? global.getMethod("get").invoke(null) : null;
  }

  private static boolean javaAgentRuns() {
    try {
      Class.forName(JAVA_AGENT_CLASS, false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The counters, one series per server in each: {@code servers} as it is at each collection. */
  void addCounters(List<Meters.Counter> table, Servers servers, Stats stats) throws ReflectiveOperationException {
    for (Meters.Counter counter : table) {
      Object builder = counterBuilder.invoke(meter, counter.name);
      build(counterBuilder.getReturnType(), builder, counter.meaning, counter.otelUnit,
          new PerServer(this, servers, true, counterOf(stats, counter.index)));
    }
  }

  /** The two gauges, one series per server in each: {@code servers} as it is at each collection. */
  void addServerGauges(Servers servers, ServerReadings readings) throws ReflectiveOperationException {
    // The SDK's builders are package-private classes: every call goes through the API's interfaces,
    // the declared return types (DoubleGaugeBuilder, LongGaugeBuilder, LongCounterBuilder).
    Class<?> doubleGauge = gaugeBuilder.getReturnType();
    Method ofLongs = doubleGauge.getMethod("ofLongs");
    Object open = ofLongs.invoke(gaugeBuilder.invoke(meter, Meters.OPEN));
    build(ofLongs.getReturnType(), open, Meters.OPEN_MEANING, "{connection}",
        new PerServer(this, servers, true, new PerServer.Value() {
          @Override public Number of(ServerTags server) {
            return readings.openConnections(server);
          }
        }));
    Object idle = gaugeBuilder.invoke(meter, Meters.OLDEST_IDLE);
    build(doubleGauge, idle, Meters.OLDEST_IDLE_MEANING, "s", new PerServer(this, servers, false, new PerServer.Value() {
      @Override public Number of(ServerTags server) {
        return readings.oldestIdleMillis(server) / 1000.0;
      }
    }));
  }

  /** A counter's value for a server: its own count. */
  private static PerServer.Value counterOf(final Stats stats, final int index) {
    return new PerServer.Value() {
      @Override public Number of(ServerTags server) {
        return stats.countsOf(server).get(index).sum();
      }
    };
  }

  private void build(Class<?> type, Object builder, String meaning, String unit, Consumer<Object> callback)
      throws ReflectiveOperationException {
    Object b = type.getMethod("setDescription", String.class).invoke(builder, meaning);
    b = type.getMethod("setUnit", String.class).invoke(b, unit);
    instruments.add(type.getMethod("buildWithCallback", Consumer.class).invoke(b, callback));
  }

  /** Attributes of a server, made once per server. */
  private final ConcurrentHashMap<ServerTags, Object> serverAttributes = new ConcurrentHashMap<ServerTags, Object>();

  private Object attributesOf(ServerTags server) throws ReflectiveOperationException {
    Object known = serverAttributes.get(server);
    if (known == null) {
      Object builder = attributes.builder();
      attributes.putServer(builder, server);
      known = attributes.build(builder);
      serverAttributes.put(server, known);
    }
    return known;
  }

  @Override public String toString() {
    return "OpenTelemetry (meter connguard)";
  }

  /**
   * One instrument's callback, run at each collection. A failure is said once at DEBUG, never
   * thrown into the SDK.
   */
  private abstract static class Callback implements Consumer<Object> {
    private volatile boolean failed;

    @Override public final void accept(Object measurement) {
      try {
        record(measurement);
      } catch (Throwable t) {
        if (!failed) {
          failed = true;
          Log.debug("connguard: an OpenTelemetry instrument could not be read: " + t);
        }
      }
    }

    abstract void record(Object measurement) throws ReflectiveOperationException;
  }

  /** A counter or a gauge: one measurement per server seen, with that server's attributes. */
  private static final class PerServer extends Callback {
    /** What is measured for one server, read at each collection. */
    interface Value {
      Number of(ServerTags server);
    }

    private final OtelMeters meters;
    private final Servers servers;
    /** Recorded as a long (counters, open connections), else as a double (seconds idle). */
    private final boolean whole;
    private final Value value;

    PerServer(OtelMeters meters, Servers servers, boolean whole, Value value) {
      this.meters = meters;
      this.servers = servers;
      this.whole = whole;
      this.value = value;
    }

    @Override void record(Object measurement) throws ReflectiveOperationException {
      for (ServerTags server : servers.all()) {
        Number of = value.of(server);
        if (whole) {
          meters.recordLongWith.invoke(measurement, of.longValue(), meters.attributesOf(server));
        } else {
          meters.recordDoubleWith.invoke(measurement, of.doubleValue(), meters.attributesOf(server));
        }
      }
    }
  }
}
