package connguard.log;

/**
 * The per-connection event lines (re-executed, refused, replaced): one line per event stays the
 * rule, but a mass failure (a failover, a server restart: a hundred connections dying within a
 * second) must not bury the app's own log under a hundred of them. The first
 * {@value #FULL_LINES} of a burst are written at their level; the rest of it at DEBUG, and one
 * line when the burst is over says how many there were.
 *
 * <p>A burst is a {@value #WINDOW_MILLIS} ms window opened by its first line. Slow path only.
 */
public final class EventLines {
  static final int FULL_LINES = 10;
  static final long WINDOW_MILLIS = 1_000;

  private static final EventLines INSTANCE = new EventLines(new Writer());

  /** Where the lines go: {@link Log}, or a test's list. */
  static class Writer {
    void write(int severity, String line) {
      switch (severity) {
        case AppLog.DEBUG:
          Log.debug(line);
          break;
        case AppLog.INFO:
          Log.info(line);
          break;
        default:
          Log.warn(line);
          break;
      }
    }
  }

  private final Writer out;

  private long windowStartNanos;        // guarded by this
  private boolean windowOpen;           // guarded by this
  private int inWindow;                 // guarded by this
  private int summarizedInfo;           // guarded by this
  private int summarizedWarn;           // guarded by this

  EventLines(Writer out) {
    this.out = out;
  }

  /** An event the app need not act on (a statement re-executed, a connection replaced). */
  public static void info(String line) {
    INSTANCE.event(false, line);
  }

  /** An event the app sees as an error (a refusal). */
  public static void warn(String line) {
    INSTANCE.event(true, line);
  }

  void event(boolean warn, String line) {
    long now = System.nanoTime();
    Object[] summary = null;
    boolean full;
    synchronized (this) {
      if (windowOpen && now - windowStartNanos > WINDOW_MILLIS * 1_000_000L) {
        summary = closeWindow();
      }
      if (!windowOpen) {
        windowOpen = true;
        windowStartNanos = now;
        inWindow = 0;
      }
      full = ++inWindow <= FULL_LINES;
      if (!full) {
        if (warn) {
          summarizedWarn++;
        } else {
          summarizedInfo++;
        }
        if (summarizedInfo + summarizedWarn == 1) {
          closeLater();
        }
      }
    }
    log(summary);
    out.write(full ? (warn ? AppLog.WARN : AppLog.INFO) : AppLog.DEBUG, line);
  }

  /**
   * The summary of the window that just ended, or null when nothing in it was summarized; at
   * WARN when it held a refusal (the app got errors), at INFO otherwise.
   */
  private Object[] closeWindow() {
    windowOpen = false;
    int info = summarizedInfo;
    int warn = summarizedWarn;
    summarizedInfo = 0;
    summarizedWarn = 0;
    if (info + warn == 0) {
      return null;
    }
    return new Object[] {warn > 0 ? AppLog.WARN : AppLog.INFO, "connguard: " + (info + warn)
        + " more connection events within " + WINDOW_MILLIS + " ms of the " + FULL_LINES + " above (" + warn
        + " refused, " + info + " healed); each is logged at DEBUG"};
  }

  /** Nobody may log again for hours: the window's summary must not wait for the next event. */
  private void closeLater() {
    OffThread.start("connguard-log-burst", new Runnable() {
      @Override public void run() {
        boolean exiting = false;
        try {
          Thread.sleep(WINDOW_MILLIS + 50);
        } catch (InterruptedException e) {
          exiting = true;        // the JVM exits: say it now
        }
        Object[] summary;
        synchronized (EventLines.this) {
          summary = windowOpen && (exiting || System.nanoTime() - windowStartNanos > WINDOW_MILLIS * 1_000_000L)
              ? closeWindow() : null;
        }
        log(summary);
      }
    });
  }

  private void log(Object[] summary) {
    if (summary != null) {
      out.write((Integer) summary[0], (String) summary[1]);
    }
  }
}
