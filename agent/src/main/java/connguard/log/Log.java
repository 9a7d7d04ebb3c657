package connguard.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one logger. SLF4J starts on the first message, not at premain: most runs never
 * log, and start-up time is part of what users judge us on.
 */
public final class Log {
  private static volatile String level = "info";
  /** logging=app: lines through the app's own logging; null: the agent's own (stderr or logFile). */
  private static volatile AppLog app;

  private Log() {}

  /** Before the first message; slf4j-simple reads its settings once, from system properties. */
  public static void configure(String logLevel, String logFile) {
    configure(logLevel, logFile, false);
  }

  /** @param throughApp logging=app: through the app's SLF4J or java.util.logging, see {@link AppLog} */
  public static void configure(String logLevel, String logFile, boolean throughApp) {
    level = logLevel;
    app = throughApp ? new AppLog(System.err) : null;
    // These keys are relocated with SLF4J by the shade plugin, so they never touch the app's own logger.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    System.setProperty("org.slf4j.simpleLogger.logFile", logFile == null ? "System.err" : logFile);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
    System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
  }

  /**
   * With logging=app, the app's configuration of the logger {@code connguard} decides, once its
   * logging is found; logLevel=debug turns DEBUG on either way.
   */
  public static boolean isDebug() {
    boolean ours = "debug".equals(level);
    AppLog a = app;
    return a == null ? ours : ours || a.isDebugEnabled(false);
  }

  public static void debug(String message) {
    if (isDebug()) {
      write(AppLog.DEBUG, message);
    }
  }

  public static void info(String message) {
    write(AppLog.INFO, message);
  }

  public static void warn(String message) {
    write(AppLog.WARN, message);
  }

  public static void error(String message) {
    write(AppLog.ERROR, message);
  }

  /**
   * The app runs its own code (it made a connection; its class loader is the one given): with
   * logging=app, its logging is found now and the lines kept until now are written through it.
   * Cheap after the first call.
   */
  public static void appReady(ClassLoader loader) {
    AppLog a = app;
    if (a != null && !a.isBound()) {
      a.appReady(loader);
    }
  }

  private static int threshold() {
    String l = level;
    return "error".equals(l) ? AppLog.ERROR : "warn".equals(l) ? AppLog.WARN : "info".equals(l) ? AppLog.INFO : AppLog.DEBUG;
  }

  private static void write(int severity, String message) {
    AppLog a = app;
    if (a != null) {
      // logLevel still gates (warn keeps INFO lines out); past it, the app's configuration decides.
      if (severity == AppLog.DEBUG || severity >= threshold()) {
        a.write(severity, message);
      }
      return;
    }
    switch (severity) {
      case AppLog.DEBUG:
        Holder.LOGGER.debug(message);
        break;
      case AppLog.INFO:
        Holder.LOGGER.info(message);
        break;
      case AppLog.WARN:
        Holder.LOGGER.warn(message);
        break;
      default:
        Holder.LOGGER.error(message);
        break;
    }
  }

  private static final class Holder {
    static final Logger LOGGER = LoggerFactory.getLogger("connguard");
  }
}
