package connguard.it.operability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.ChildJvm;
import connguard.it.harness.Deadline;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logging=app: the agent's lines in the app's own log, through its Logback (SLF4J bound) or,
 * without an SLF4J backend, java.util.logging, each configured by the app to write a file. A
 * line written at premain (a bad option) is kept until the app's first connection and then goes
 * the same way; nothing of the agent's is left on stderr.
 */
class AppLoggingIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private PgAdmin pg;
  private String app;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("applog");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void throughTheAppsLogback() throws IOException {
    Path log = dir.resolve("app.log");
    Path config = dir.resolve("logback.xml");
    Files.writeString(config, "<configuration>\n"
        + "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">\n"
        + "    <file>" + log + "</file>\n"
        + "    <encoder><pattern>APP %level %logger - %msg%n</pattern></encoder>\n"
        + "  </appender>\n"
        + "  <logger name=\"connguard\" level=\"INFO\"/>\n"
        + "  <root level=\"WARN\"><appender-ref ref=\"FILE\"/></root>\n"
        + "</configuration>\n");
    String slf4j = ChildJvm.jarOnClassPath("slf4j-api-");
    AppJvm child = AppJvm.withAgent("logging=app,validateIdleAfter=off,noSuchOption=1")
        .replaceJar("slf4j-api-", slf4j + File.pathSeparator + System.getProperty("connguard.logback"))
        .sysProp("logback.configurationFile", config.toString());
    String text = healOnce(child, log);
    assertTrue(text.contains("APP WARN connguard - ") && text.contains("noSuchOption"),
        "the premain line, kept, then through Logback:\n" + text);
    assertTrue(text.contains("APP INFO connguard - connguard: connection #1"), text);
  }

  @Test
  void throughJavaUtilLoggingWhenTheAppHasNoSlf4jBackend() throws IOException {
    Path log = dir.resolve("jul.log");
    Path config = dir.resolve("logging.properties");
    Files.writeString(config, "handlers=java.util.logging.FileHandler\n"
        + "java.util.logging.FileHandler.pattern=" + log + "\n"
        + "java.util.logging.FileHandler.formatter=java.util.logging.SimpleFormatter\n"
        + "java.util.logging.SimpleFormatter.format=JUL %4$s %3$s - %5$s%n\n"
        + ".level=INFO\n");
    AppJvm child = AppJvm.withAgent("logging=app,validateIdleAfter=off,noSuchOption=1")
        .sysProp("java.util.logging.config.file", config.toString());
    String text = healOnce(child, log);
    assertTrue(text.contains("JUL WARNING connguard - ") && text.contains("noSuchOption"), text);
    assertTrue(text.contains("JUL INFO connguard - connguard: connection #1"), text);
  }

  /**
   * Connects, kills the session, reads again (healed, one INFO line), waits for the line in the
   * app's log file; returns the file. None of the agent's lines is on the child's stderr.
   */
  private String healOnce(AppJvm child, Path log) throws IOException {
    try (Shell sh = child.start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      assertEquals("2", sh.ok("query c1 select 2"));
      String text = awaitLine(log, "re-executed executeQuery");
      assertFalse(sh.stderr().contains("connguard:"), "nothing of the agent's on stderr:\n" + sh.stderr());
      return text;
    }
  }

  private static String awaitLine(Path log, String text) throws IOException {
    Deadline deadline = Deadline.in(WAIT);
    String seen = "";
    for (int polls = 0; polls < 10_000 && !deadline.expired(); polls++) {
      seen = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (seen.contains(text)) {
        return seen;
      }
      deadline.pause(100);
    }
    throw new AssertionError("no \"" + text + "\" in " + log + " within " + WAIT + ":\n" + seen);
  }
}
