package connguard.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The servers seen so far, each once: one series per server in every meter, counters and gauges,
 * and one set of counters each ({@code Stats.countsOf}). Bounded:
 * an app with a DataSource per tenant could name thousands, and each would be a series in the
 * app's metrics backend; past {@link #MAX} they share {@link ServerTags#UNKNOWN}.
 */
final class Servers {
  static final int MAX = 64;

  /** Told of each server once: those seen before it listened, then each new one. */
  interface Listener {
    void added(ServerTags server);
  }

  private final ConcurrentHashMap<ServerTags, ServerTags> known = new ConcurrentHashMap<ServerTags, ServerTags>();
  /**
   * Read without this lock: an OpenTelemetry collection reads it inside the SDK's callback lock,
   * while a thread here may be registering a Micrometer gauge (under this lock) into a registry
   * that is itself backed by OpenTelemetry.
   */
  private final List<ServerTags> inOrder = new CopyOnWriteArrayList<ServerTags>();
  private final List<Listener> listeners = new ArrayList<Listener>();     // guarded by this

  /** The one instance equal to {@code server} (or {@link ServerTags#UNKNOWN} past {@link #MAX}). */
  ServerTags intern(ServerTags server) {
    ServerTags seen = known.get(server);
    if (seen != null) {
      return seen;
    }
    synchronized (this) {
      seen = known.get(server);
      if (seen != null) {
        return seen;
      }
      if (inOrder.size() >= MAX && server != ServerTags.UNKNOWN) {
        return intern(ServerTags.UNKNOWN);
      }
      known.put(server, server);
      inOrder.add(server);
      for (Listener listener : listeners) {
        listener.added(server);
      }
      return server;
    }
  }

  synchronized void listen(Listener listener) {
    listeners.add(listener);
    for (ServerTags server : inOrder) {
      listener.added(server);
    }
  }

  /** A snapshot, in the order seen. */
  List<ServerTags> all() {
    return new ArrayList<ServerTags>(inOrder);
  }
}
