package connguard.it.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar connguard.jar attach <pid>} into a JVM that already loaded pgjdbc and holds a
 * connection: its driver classes are woven in place (no new fields), connections opened after the
 * attach are healed, and those opened before run exactly as without the agent.
 */
class AttachIT {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("att");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  private static String attach(long pid, String options) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-jar", System.getProperty("connguard.jar"),
        "attach", Long.toString(pid), options)).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      out = bytes.toString(StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "attach returns");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void connectionsOpenedAfterAttachAreHealedAndOlderOnesRunAsWithoutTheAgent() throws Exception {
    try (Shell sh = AppJvm.withoutAgent().jvmArg("-XX:+EnableDynamicAgentLoading").start()) {
      sh.ok("connect before " + pg.url(app));
      sh.ok("prepare s0 before select 1");
      sh.ok("pquery s0");
      // readServerTimeouts=false: the agent's own look at the server uses the app's URL and name,
      // and would be a third session for terminate() to count while it lasts.
      attach(sh.pid(), "validateIdleAfter=off,readServerTimeouts=false");
      sh.awaitStderr("connguard: attached to a running JVM", Duration.ofSeconds(30));
      sh.ok("connect after " + pg.url(app));
      assertEquals("org.postgresql.jdbc.PgConnection", sh.ok("classof after"));
      sh.ok("prepare s1 after select ? * 3");
      sh.ok("set s1 1 int 5");
      assertEquals("15", sh.ok("pquery s1"));
      assertEquals(2, pg.terminate(app));
      assertEquals("15", sh.ok("pquery s1"), "opened after attach: healed");
      assertEquals(1, sh.stat("StatementsRetried"));
      String err = sh.err("pquery s0");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), "opened before attach: as without the agent: " + err);
    }
  }

  @Test
  void attachingTwiceWeavesOnce() throws Exception {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + pg.url(app));
      attach(sh.pid(), "");
      sh.awaitStderr("already installed", Duration.ofSeconds(30));
      pg.terminate(app);
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }
}
