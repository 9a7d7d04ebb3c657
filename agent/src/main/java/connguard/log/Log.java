package connguard.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one logger. SLF4J starts on the first message, not at premain: most runs never
 * log, and start-up time is part of what users judge us on.
 */
public final class Log {
  private static volatile String level = "info";

  private Log() {}

  /** Before the first message; slf4j-simple reads its settings once, from system properties. */
  public static void configure(String logLevel, String logFile) {
    level = logLevel;
    // These keys are relocated with SLF4J by the shade plugin, so they never touch the app's own logger.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    System.setProperty("org.slf4j.simpleLogger.logFile", logFile == null ? "System.err" : logFile);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
    System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
  }

  public static boolean isDebug() {
    return "debug".equals(level);
  }

  public static void debug(String message) {
    if (isDebug()) {
      Holder.LOGGER.debug(message);
    }
  }

  public static void info(String message) {
    Holder.LOGGER.info(message);
  }

  public static void warn(String message) {
    Holder.LOGGER.warn(message);
  }

  public static void error(String message) {
    Holder.LOGGER.error(message);
  }

  private static final class Holder {
    static final Logger LOGGER = LoggerFactory.getLogger("connguard");
  }
}
