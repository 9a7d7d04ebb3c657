package connguard.metrics;

import connguard.stats.Counts;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The agent's meters in the app's Micrometer, registered in {@code Metrics.globalRegistry}: the
 * composite that Spring Boot adds its registries to ({@code management.metrics.use-global-registry},
 * true by default), and that hands meters registered earlier to a registry added later. Called by
 * reflection in the app's class loader; the meters are function counters and gauges that read
 * {@link Reading}s when scraped.
 */
final class MicrometerMeters {
  private static final String API = "io.micrometer.core.instrument.";

  private final Object registry;
  private final Builder counters;
  private final Builder gauges;
  /** Micrometer holds a meter's object weakly: these keep them for as long as the agent runs. */
  private final List<Reading> kept = new ArrayList<Reading>();     // guarded by this

  private MicrometerMeters(Object registry, Builder counters, Builder gauges) {
    this.registry = registry;
    this.counters = counters;
    this.gauges = gauges;
  }

  /** The app's global registry, or null when the app has no Micrometer. */
  static MicrometerMeters find(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> metrics = AppClasses.find(API + "Metrics", loader);
    if (metrics == null) {
      return null;
    }
    Class<?> registryType = Class.forName(API + "MeterRegistry", false, loader);
    Object registry = metrics.getField("globalRegistry").get(null);
    return new MicrometerMeters(registry,
        new Builder(Class.forName(API + "FunctionCounter", false, loader), registryType),
        new Builder(Class.forName(API + "Gauge", false, loader), registryType));
  }

  /** The meters of one server, tagged with it: its counters ({@code table} read in {@code counts}), the two gauges. */
  void addServer(ServerTags server, List<Meters.Counter> table, Counts counts, ServerReadings readings)
      throws ReflectiveOperationException {
    for (Meters.Counter counter : table) {
      Reading reading = Reading.counter(counts.get(counter.index));
      counters.register(registry, counter.name, counter.meaning, null, reading, server);
      keep(reading);
    }
    Reading open = Reading.openConnections(readings, server);
    gauges.register(registry, Meters.OPEN, Meters.OPEN_MEANING, null, open, server);
    keep(open);
    Reading idle = Reading.oldestIdleSeconds(readings, server);
    gauges.register(registry, Meters.OLDEST_IDLE, Meters.OLDEST_IDLE_MEANING, "seconds", idle, server);
    keep(idle);
  }

  private synchronized void keep(Reading reading) {
    kept.add(reading);
  }

  @Override public String toString() {
    return "Micrometer (Metrics.globalRegistry)";
  }

  /** {@code FunctionCounter.builder(...)} or {@code Gauge.builder(...)} and their builder's methods. */
  private static final class Builder {
    private final Method builder;
    private final Method description;
    private final Method baseUnit;
    private final Method tag;
    private final Method register;

    Builder(Class<?> meter, Class<?> registryType) throws NoSuchMethodException {
      builder = meter.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
      Class<?> type = builder.getReturnType();
      description = type.getMethod("description", String.class);
      baseUnit = type.getMethod("baseUnit", String.class);
      tag = type.getMethod("tag", String.class, String.class);
      register = type.getMethod("register", registryType);
    }

    void register(Object registry, String name, String meaning, String unit, Reading reading, ServerTags server)
        throws ReflectiveOperationException {
      Object b = builder.invoke(null, name, reading, reading);
      b = description.invoke(b, meaning);
      if (unit != null) {
        b = baseUnit.invoke(b, unit);
      }
      for (int i = 0; i < ServerTags.KEYS.length; i++) {
        b = tag.invoke(b, ServerTags.KEYS[i], server.tagValue(i));
      }
      register.invoke(b, registry);
    }
  }
}
