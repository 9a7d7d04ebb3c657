package connguard.it.operability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees: option errors, dry runs, the periodic summary, a log file, the MBean's gauges. */
class OperabilityIT {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("ops");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void badOptionsGetOneClearLineAndTheAppStillRuns() {
    try (Shell sh = AppJvm.withAgent("maxRetries=lots,validateIdleAfter=2 sec,password=hunter2").start()) {
      sh.ok("connect c1 " + pg.url(app));
      assertEquals("1", sh.ok("query c1 select 1"));
      String stderr = sh.awaitStderr("unknown option \"password\"", Duration.ofSeconds(10));
      assertTrue(stderr.contains("maxRetries=\"lots\" is not valid"), stderr);
      assertTrue(stderr.contains("validateIdleAfter=\"2 sec\" is not valid"), stderr);
      assertTrue(stderr.contains("unknown option \"password\""), stderr);
      assertTrue(!stderr.contains("hunter2"), "an unknown option's value is never echoed");
    }
  }

  @Test
  void dryRunHealsNothingButSaysWhatItWouldHaveDone() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,dryRun=true").start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.ok("query c1 select 1");
      pg.terminate(app);
      String err = sh.err("query c1 select 2");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), "as without the agent: " + err);
      sh.awaitStderr("[dry run]", Duration.ofSeconds(10));
      sh.awaitStderr("would reconnect and re-execute executeQuery (read)", Duration.ofSeconds(10));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("DeadConnectionsDetected"));
      String again = sh.err("update c1 insert into nowhere values (1)");
      assertTrue(again.startsWith("08"), "still the dead connection, as without the agent: " + again);
    }
  }

  @Test
  void dryRunReportsAWriteItWouldRefuse() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,dryRun=true").start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.ok("query c1 select 1");
      pg.terminate(app);
      sh.err("update c1 insert into nowhere values (1)");
      sh.awaitStderr("would not re-execute executeUpdate (write outcome unknown)", Duration.ofSeconds(10));
    }
  }

  @Test
  void statsIntervalLogsASummaryLine() {
    try (Shell sh = AppJvm.withAgent("statsInterval=300ms").start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.awaitStderr("connguard: stats: open=1 guarded=1", Duration.ofSeconds(10));
    }
  }

  @Test
  void logFileTakesTheAgentsLinesOffStderr(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("connguard.log");
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,logFile=" + log).start()) {
      sh.ok("connect c1 " + pg.url(app));
      pg.terminate(app);
      sh.ok("query c1 select 1");
      assertFalse(sh.stderr().contains("connguard:"), sh.stderr());
    }
    String written = Files.readString(log);
    assertTrue(written.contains("reconnected and re-executed executeQuery"), written);
  }

  @Test
  void mbeanGaugesShowOpenConnectionsAndTheLastRecovery() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.ok("connect c2 " + pg.url(app));
      assertEquals(2, sh.stat("OpenConnections"));
      sh.ok("query c2 select 1");
      sh.ok("sleep 700");
      long idle = sh.stat("OldestIdleMillis");
      assertTrue(idle >= 500 && idle < 60_000, "c1 idled since it connected: " + idle);
      assertEquals(0, sh.stat("LastRecoveryEpochMillis"));
      pg.terminate(app);
      sh.ok("query c1 select 1");
      assertTrue(sh.ok("attr LastRecovery").contains("57P01"), "names the cause");
      assertTrue(sh.stat("LastRecoveryEpochMillis") > 0);
      sh.ok("close c1");
      sh.ok("close c1");                   // twice: counted once
      assertEquals(1, sh.stat("OpenConnections"));
      assertFalse(sh.ok("attr LastRecovery").contains("password"));
    }
  }

  @Test
  void aPasswordInTheUrlNeverReachesALogLineAnExceptionOrJmx() {
    FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
    // trust auth ignores the password, so it travels through every path without breaking anything
    String url = pg.url(app, proxy.port()) + "&password=hunter2secret";
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,retryWindow=1s,logLevel=debug").start()) {
      sh.ok("connect c1 " + url);
      pg.terminate(app);
      sh.ok("query c1 select 1");                      // a recovery: one log line naming the URL
      proxy.refuse(true);
      proxy.cutAll();
      String err = sh.err("query c1 select 2", Duration.ofSeconds(20));   // exhausted: the message names it too
      sh.awaitStderr("no fresh connection", Duration.ofSeconds(10));
      String everything = sh.stderr() + err + sh.ok("attr LastRecovery");
      assertTrue(everything.contains("password=***"), "masked, so the check below means something: " + everything);
      assertFalse(everything.contains("hunter2secret"), everything);
    } finally {
      proxy.close();
    }
  }
}
