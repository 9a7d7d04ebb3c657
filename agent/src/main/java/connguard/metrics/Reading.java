package connguard.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * A value read when the app's metrics are scraped: a counter of one server's {@code Counts}, or a per-server
 * gauge. Also Micrometer's function for it ({@code FunctionCounter.builder(name, reading,
 * reading)}): Micrometer holds that object weakly, so whoever registers a reading keeps it.
 */
final class Reading implements ToDoubleFunction<Object> {
  private static final int COUNTER = 0;
  private static final int OPEN = 1;
  private static final int OLDEST_IDLE_SECONDS = 2;

  private final int what;
  private final LongAdder counter;
  private final ServerReadings readings;
  private final ServerTags server;

  private Reading(int what, LongAdder counter, ServerReadings readings, ServerTags server) {
    this.what = what;
    this.counter = counter;
    this.readings = readings;
    this.server = server;
  }

  static Reading counter(LongAdder counter) {
    return new Reading(COUNTER, counter, null, null);
  }

  static Reading openConnections(ServerReadings readings, ServerTags server) {
    return new Reading(OPEN, null, readings, server);
  }

  static Reading oldestIdleSeconds(ServerReadings readings, ServerTags server) {
    return new Reading(OLDEST_IDLE_SECONDS, null, readings, server);
  }

  double value() {
    switch (what) {
      case COUNTER:
        return counter.sum();
      case OPEN:
        return readings.openConnections(server);
      default:
        return readings.oldestIdleMillis(server) / 1000.0;
    }
  }

  @Override public double applyAsDouble(Object self) {
    return value();
  }
}
