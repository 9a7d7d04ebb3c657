package connguard.metrics;

import connguard.config.Options;
import connguard.log.Log;
import connguard.stats.Stats;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * Where the agent's counters go, by the option {@code metrics}: the JMX MBean (auto, jmx), and
 * with auto also the app's Micrometer and OpenTelemetry wherever its class loader has them, and a
 * span event per recovery or refusal. Bound once, after the first guarded connection (the app
 * runs its own code then, its metrics set up); counters bound late lose nothing, since the meters
 * read {@link Stats} when scraped. Every meter has one series per server ({@link Servers}).
 *
 * <p>Never throws: a part that cannot be bound is one DEBUG line, and the rest still works.
 */
public final class AppMetrics {
  private final Stats stats;
  private final boolean registersMBean;
  private final boolean bindsApp;
  private final ServerReadings readings;
  private final Servers servers = new Servers();

  /** The class loader of the app's first guarded connection; looked in by {@link #bind} and {@link #event}. */
  private volatile ClassLoader appLoader;
  private volatile boolean appKnown;
  private boolean bound;                 // guarded by this
  private String where = "";             // guarded by this
  private volatile SpanEvents spans;
  private volatile boolean spansLooked;
  private volatile boolean eventFailed;
  /** Not this: an event on the app's thread must not wait while {@link #bind} starts JMX. */
  private final Object spanLock = new Object();

  public AppMetrics(Options options, Stats stats, ServerReadings readings) {
    this.stats = stats;
    this.registersMBean = options.registersMBean();
    this.bindsApp = options.bindsAppMetrics();
    this.readings = readings;
  }

  /** metrics=auto: connections need their server's tags (else they are never read). */
  public boolean bindsAppMetrics() {
    return bindsApp;
  }

  /**
   * The one instance of this server's tags, the key of its counters ({@link Stats#countsOf}); a
   * server seen for the first time gets its counters and gauges in the app's Micrometer (once
   * bound; OpenTelemetry asks for the servers at each collection).
   */
  public ServerTags server(ServerTags parsed) {
    return bindsApp ? servers.intern(parsed) : ServerTags.UNKNOWN;
  }

  /**
   * The app runs its own code: it opened its first guarded connection, on a thread whose context
   * class loader sees its Micrometer and OpenTelemetry. Nothing is loaded here; {@link #bind}
   * and the first {@link #event} look there.
   */
  public void appReady(ClassLoader loader) {
    if (!appKnown) {
      appLoader = loader != null ? loader : ClassLoader.getSystemClassLoader();
      appKnown = true;
    }
  }

  /**
   * Registers the MBean and binds the app's meters, once; off the app's thread (JMX and the app's
   * metrics libraries take a while to load). Says where the counters went, for the start-up line.
   */
  public synchronized String bind() {
    if (bound) {
      return where;
    }
    bound = true;
    StringBuilder found = new StringBuilder();
    if (registersMBean && stats.register()) {
      found.append("JMX ").append(Stats.OBJECT_NAME);
    }
    if (bindsApp && appKnown) {
      List<Meters.Counter> table = Meters.counters();
      append(found, bindMicrometer(table));
      append(found, bindOpenTelemetry(table));
    }
    where = found.length() == 0 ? "none" : found.toString();
    return where;
  }

  private String bindMicrometer(final List<Meters.Counter> table) {
    try {
      final MicrometerMeters micrometer = MicrometerMeters.find(appLoader);
      if (micrometer == null) {
        Log.debug("connguard: no Micrometer in the app's class loader");
        return null;
      }
      servers.listen(new Servers.Listener() {
        @Override public void added(ServerTags server) {
          try {
            micrometer.addServer(server, table, stats.countsOf(server), readings);
          } catch (Throwable t) {
            Log.debug("connguard: no Micrometer meters for " + server + ": " + reason(t));
          }
        }
      });
      return micrometer.toString();
    } catch (Throwable t) {
      Log.debug("connguard: the counters are not in the app's Micrometer: " + reason(t));
      return null;
    }
  }

  private String bindOpenTelemetry(List<Meters.Counter> table) {
    try {
      OtelMeters otel = OtelMeters.find(appLoader);
      if (otel == null) {
        Log.debug("connguard: no OpenTelemetry API in the app's class loader");
        return null;
      }
      otel.addCounters(table, servers, stats);
      otel.addServerGauges(servers, readings);
      return otel.toString();
    } catch (Throwable t) {
      Log.debug("connguard: the counters are not in the app's OpenTelemetry: " + reason(t));
      return null;
    }
  }

  /**
   * One event on the app's current span: {@code name} from {@link Events}, the event line, and
   * how long in ms where measured (else negative). Slow path only; never throws.
   */
  public void event(String name, String line, long connectionId, ServerTags server, long elapsedMillis) {
    if (!bindsApp) {
      return;
    }
    SpanEvents s = spans;
    if (s == null) {
      if (spansLooked || !appKnown) {
        return;
      }
      s = lookUpSpans();
      if (s == null) {
        return;
      }
    }
    try {
      s.add(name, line, connectionId, server, elapsedMillis);
    } catch (Throwable t) {
      if (!eventFailed) {
        eventFailed = true;
        Log.debug("connguard: no span event: " + reason(t));
      }
    }
  }

  private SpanEvents lookUpSpans() {
    synchronized (spanLock) {
      if (!spansLooked) {
        try {
          spans = SpanEvents.find(appLoader);
        } catch (Throwable t) {
          Log.debug("connguard: no span events: the app's OpenTelemetry API could not be used: " + reason(t));
        }
        spansLooked = true;
      }
      return spans;
    }
  }

  private static void append(StringBuilder found, String part) {
    if (part != null) {
      found.append(found.length() == 0 ? "" : ", ").append(part);
    }
  }

  /** A reflective call's own exception, not its wrapper. */
  private static String reason(Throwable t) {
    Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
    return String.valueOf(cause);
  }
}
