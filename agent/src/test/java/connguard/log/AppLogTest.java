package connguard.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * logging=app without SLF4J in the app's loader: java.util.logging, lines kept until the app is
 * ready and then written in order, never lost when it never gets ready. SLF4J with Logback is
 * proven in a child JVM (agent-tests), where the app's loader really has them.
 */
class AppLogTest {
  /** A loader with nothing in it but the JDK: an app without SLF4J. */
  private static final ClassLoader NO_SLF4J = new URLClassLoader(new URL[0], null);
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override public void publish(LogRecord record) {
      records.add(record);
    }

    @Override public void flush() {}

    @Override public void close() {}
  };
  private final Logger jul = Logger.getLogger("connguard");

  @BeforeEach
  void listen() {
    jul.addHandler(capture);
    jul.setLevel(Level.ALL);
  }

  @AfterEach
  void stopListening() {
    jul.removeHandler(capture);
    jul.setLevel(null);
  }

  @Test
  void linesBeforeTheAppIsReadyAreKeptThenWrittenInOrderThroughJavaUtilLogging() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    AppLog log = new AppLog(new PrintStream(stderr, true));
    log.write(AppLog.INFO, "connguard: started");
    log.write(AppLog.WARN, "connguard: a problem with an option");
    assertEquals(0, records.size(), "kept, not written, before the app is ready");

    log.appReady(NO_SLF4J);
    log.write(AppLog.DEBUG, "connguard: detail");
    log.write(AppLog.ERROR, "connguard: bad");

    assertEquals(4, records.size());
    assertEquals("connguard: started", records.get(0).getMessage());
    assertEquals(Level.INFO, records.get(0).getLevel());
    assertEquals(Level.WARNING, records.get(1).getLevel());
    assertEquals(Level.FINE, records.get(2).getLevel());
    assertEquals(Level.SEVERE, records.get(3).getLevel());
    assertEquals("connguard", records.get(0).getLoggerName());
    assertEquals("", new String(stderr.toByteArray(), StandardCharsets.UTF_8), "nothing on stderr once the app's logging is found");
    assertTrue(log.isDebugEnabled(false));
  }

  @Test
  void pastTheLimitTheOldestKeptLinesAreDroppedAndCounted() {
    AppLog log = new AppLog(new PrintStream(new ByteArrayOutputStream(), true));
    for (int i = 0; i < AppLog.MAX_KEPT + 7; i++) {
      log.write(AppLog.INFO, "line " + i);
    }
    log.appReady(NO_SLF4J);
    assertEquals(AppLog.MAX_KEPT + 1, records.size());
    assertEquals("connguard: 7 earlier lines were dropped before the app's logging was ready", records.get(0).getMessage());
    assertEquals("line 7", records.get(1).getMessage());
    assertEquals("line " + (AppLog.MAX_KEPT + 6), records.get(records.size() - 1).getMessage());
  }

  @Test
  void anAppThatNeverConnectsStillGetsTheLinesOnStderr() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    AppLog log = new AppLog(new PrintStream(stderr, true));
    log.write(AppLog.WARN, "connguard: logFile is not writable");
    log.flushToFallback();      // what the exit hook does
    assertEquals("[WARN] connguard: logFile is not writable" + System.lineSeparator(),
        new String(stderr.toByteArray(), StandardCharsets.UTF_8));
    assertEquals(0, records.size());
  }

  @Test
  void anAppenderThatUsesJdbcAndLogsAgainDoesNotLoop() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final AppLog log = new AppLog(new PrintStream(stderr, true));
    Handler reentrant = new Handler() {
      @Override public void publish(LogRecord record) {
        if (record.getMessage().equals("outer")) {
          log.write(AppLog.INFO, "inner");      // as if the appender's JDBC call made the agent log
        }
      }

      @Override public void flush() {}

      @Override public void close() {}
    };
    jul.addHandler(reentrant);
    try {
      log.appReady(NO_SLF4J);
      log.write(AppLog.INFO, "outer");
    } finally {
      jul.removeHandler(reentrant);
    }
    assertEquals(1, records.size());
    assertEquals("inner" + System.lineSeparator(), new String(stderr.toByteArray(), StandardCharsets.UTF_8));
  }
}
