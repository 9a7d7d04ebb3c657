package connguard.log;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * logging=app: the agent's lines through the app's own logging, under the logger name
 * {@code connguard}. SLF4J when the app's class loader has it bound to a real backend (Logback,
 * Log4j2's bridge, ...), else java.util.logging. Found by reflection: the agent's own SLF4J is
 * shaded, the app's is a different class in a different loader.
 *
 * <p>The app's logging is not ready at premain (a Spring Boot app configures Logback seconds
 * later): lines are kept until the first guarded connection is made, which no app does before
 * its logging is set up, and then written in order through the app's logger. A JVM that never
 * connects gets them on stderr at exit, so none is lost.
 *
 * <p>Slow path only: every agent line is already a rare event.
 */
final class AppLog {
  /** Kept before the app's logging is found; past this, the oldest are dropped and counted. */
  static final int MAX_KEPT = 1_000;
  static final int DEBUG = 0;
  static final int INFO = 1;
  static final int WARN = 2;
  static final int ERROR = 3;
  private static final String[] SLF4J_METHODS = {"debug", "info", "warn", "error"};
  private static final Level[] JUL_LEVELS = {Level.FINE, Level.INFO, Level.WARNING, Level.SEVERE};

  private final Deque<Object[]> kept = new ArrayDeque<Object[]>();   // guarded by this
  private int dropped;                                                // guarded by this
  private boolean exitHookAdded;                                      // guarded by this
  /** The app's logger once found: an SLF4J Logger (with its methods) or a JUL Logger. */
  private volatile Sink sink;
  /** A line the app's logging writes may itself use JDBC (a database appender): no loop. */
  private final ThreadLocal<Boolean> writing = new ThreadLocal<Boolean>();
  private final PrintStream fallback;

  AppLog(PrintStream fallback) {
    this.fallback = fallback;
  }

  boolean isBound() {
    return sink != null;
  }

  void write(int level, String line) {
    Sink s = sink;
    if (s == null) {
      synchronized (this) {
        if (sink == null) {
          keep(level, line);
          return;
        }
        s = sink;
      }
    }
    writeThrough(s, level, line);
  }

  /** Is DEBUG on for the app's logger {@code connguard}? Before it is found: {@code keptDebug}. */
  boolean isDebugEnabled(boolean keptDebug) {
    Sink s = sink;
    return s == null ? keptDebug : s.isDebugEnabled();
  }

  /**
   * The app is running its own code (it opened a connection): find its logging in this loader,
   * then write what was kept. Called once per connection until found; cheap after.
   */
  void appReady(ClassLoader loader) {
    if (sink != null) {
      return;
    }
    Sink found = Sink.find(loader);
    Object[][] lines;
    int lost;
    synchronized (this) {
      if (sink != null) {
        return;
      }
      sink = found;
      lines = kept.toArray(new Object[0][]);
      kept.clear();
      lost = dropped;
      dropped = 0;
    }
    if (lost > 0) {
      writeThrough(found, WARN, "connguard: " + lost + " earlier lines were dropped before the app's logging was ready");
    }
    for (Object[] line : lines) {
      writeThrough(found, (Integer) line[0], (String) line[1]);
    }
  }

  private void keep(int level, String line) {
    if (kept.size() >= MAX_KEPT) {
      kept.removeFirst();
      dropped++;
    }
    kept.addLast(new Object[] {level, line});
    if (!exitHookAdded) {
      exitHookAdded = true;
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
          @Override public void run() {
            flushToFallback();
          }
        }, "connguard-log-exit"));
      } catch (IllegalStateException exiting) {
        // already exiting: the line below is written now
        flushToFallback();
      }
    }
  }

  /** Never connected: the kept lines go to stderr, where logging=agent would have put them. */
  void flushToFallback() {
    Object[][] lines;
    synchronized (this) {
      if (sink != null) {
        return;
      }
      lines = kept.toArray(new Object[0][]);
      kept.clear();
    }
    for (Object[] line : lines) {
      fallback.println("[" + SLF4J_METHODS[(Integer) line[0]].toUpperCase(Locale.ROOT) + "] " + line[1]);
    }
  }

  private void writeThrough(Sink s, int level, String line) {
    if (writing.get() != null) {
      fallback.println(line);       // the app's logging called JDBC, which logged: stop the loop here
      return;
    }
    writing.set(Boolean.TRUE);
    try {
      s.write(level, line);
    } catch (Throwable t) {
      fallback.println(line);       // a broken appender must not cost the line, nor the app its call
    } finally {
      writing.remove();
    }
  }

  /** The app's logger, as found in its class loader. */
  abstract static class Sink {
    abstract void write(int level, String line) throws Exception;

    abstract boolean isDebugEnabled();

    static Sink find(ClassLoader loader) {
      // The app's loader sees what the app sees (its parents included); none given: the system's.
      Sink slf4j = Slf4j.in(loader != null ? loader : ClassLoader.getSystemClassLoader());
      return slf4j != null ? slf4j : new Jul();
    }
  }

  /** The app's SLF4J, when it is bound to a backend (not SLF4J's no-operation logger). */
  static final class Slf4j extends Sink {
    /**
     * The app's SLF4J class names, built at run time: the shade plugin rewrites every string
     * constant that names org.slf4j to the agent's relocated copy, which is not the app's.
     */
    static String appClass(String simpleName) {
      return String.join(".", "org", "slf4j", simpleName);
    }

    private final Object logger;
    private final Method[] methods = new Method[SLF4J_METHODS.length];
    private final Method isDebugEnabled;

    private Slf4j(Object logger) throws NoSuchMethodException {
      this.logger = logger;
      Class<?> api = apiOf(logger);
      for (int i = 0; i < methods.length; i++) {
        methods[i] = api.getMethod(SLF4J_METHODS[i], String.class);
      }
      this.isDebugEnabled = api.getMethod("isDebugEnabled");
    }

    /** Through the interface org.slf4j.Logger: the backend's class may not be public. */
    private static Class<?> apiOf(Object logger) {
      for (Class<?> c = logger.getClass(); c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          if (i.getName().equals(appClass("Logger"))) {
            return i;
          }
        }
      }
      return logger.getClass();
    }

    static Slf4j in(ClassLoader loader) {
      if (loader == null) {
        return null;
      }
      try {
        Class<?> factory = Class.forName(appClass("LoggerFactory"), true, loader);
        Object logger = factory.getMethod("getLogger", String.class).invoke(null, "connguard");
        String type = logger.getClass().getName();
        if (type.endsWith("NOPLogger") || type.endsWith("SubstituteLogger")) {
          return null;        // no backend: lines would vanish; java.util.logging at least prints
        }
        return new Slf4j(logger);
      } catch (Throwable absent) {
        return null;
      }
    }

    @Override void write(int level, String line) throws Exception {
      methods[level].invoke(logger, line);
    }

    @Override boolean isDebugEnabled() {
      try {
        return (Boolean) isDebugEnabled.invoke(logger);
      } catch (Throwable t) {
        return false;
      }
    }

    @Override public String toString() {
      return "SLF4J (" + logger.getClass().getName() + ")";
    }
  }

  /** java.util.logging: always there; the app's logging.properties (or a bridge) decides the rest. */
  static final class Jul extends Sink {
    private final Logger logger = Logger.getLogger("connguard");

    @Override void write(int level, String line) {
      logger.log(JUL_LEVELS[level], line);
    }

    @Override boolean isDebugEnabled() {
      return logger.isLoggable(Level.FINE);
    }

    @Override public String toString() {
      return "java.util.logging";
    }
  }
}
