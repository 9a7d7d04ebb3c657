package connguard.metrics;

import java.util.HashMap;
import java.util.Map;

/** Per-server gauge values a test sets, as GuardContext would count them. */
final class FixedReadings implements ServerReadings {
  private final Map<ServerTags, long[]> values = new HashMap<>();

  synchronized void set(ServerTags server, long open, long oldestIdleMillis) {
    values.put(server, new long[] {open, oldestIdleMillis});
  }

  @Override public synchronized long openConnections(ServerTags server) {
    long[] v = values.get(server);
    return v == null ? 0 : v[0];
  }

  @Override public synchronized long oldestIdleMillis(ServerTags server) {
    long[] v = values.get(server);
    return v == null ? 0 : v[1];
  }
}
