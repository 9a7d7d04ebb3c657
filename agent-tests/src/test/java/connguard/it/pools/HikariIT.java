package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HikariCP over each database and driver (one small subclass each): the pool's proxy and the
 * driver's connection both implement Connection; only the physical one is guarded, so a failure
 * is healed once, below the pool, and what the pool holds is what the server sees.
 */
abstract class HikariIT {
  SqlAdmin admin;
  String app;

  /** The database's admin side (from {@code Databases}). */
  abstract SqlAdmin database();

  /** The child's JDBC URL for this driver. */
  String url() {
    return admin.url(app);
  }

  /** A child with the agent and the pool under test (HikariCP 5, the test class path's), C1 only. */
  AppJvm child(String agentArgs) {
    return AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START);
  }

  @BeforeEach
  void setUp() {
    admin = database();
    app = admin.newApp("hk");
  }

  @AfterEach
  void tearDown() {
    if (admin != null && app != null) {
      admin.dropApp(app);
    }
  }

  @Test
  void connectionThatDiesWhileTheAppHoldsItIsHealedOnce() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url() + " 1");
      sh.ok("borrow c1 p1");
      assertEquals("com.zaxxer.hikari.pool.HikariProxyConnection", sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, admin.killSessions(app));
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"), "once per failure, not once per layer");
      assertEquals(1, sh.stat("Reconnects"));
      sh.ok("close c1");                    // back to the pool
      sh.ok("borrow c2 p1");
      assertEquals("3", sh.ok("query c2 select 3"));
      assertEquals(1, admin.backends(app), "pool size 1: one session, the replacement");
    }
  }

  @Test
  void connectionThatDiesIdleInThePoolNeverReachesTheAppAsAnError() {
    // Validation off: with the default 2s a slow machine decides whether the agent's idle check
    // or Hikari's own check sees the dead connection first. The next test pins the agent's path.
    try (Shell sh = child("validateIdleAfter=off").start()) {
      killWhileIdleInThePoolThenBorrowAndUseAgain(sh);
      assertEquals(1, admin.backends(app));
    }
  }

  @Test
  void connectionThatDiesIdleInThePoolIsReplacedByTheAgentWhenHikariChecksIt() {
    // Hikari's setNetworkTimeout + isValid on borrow: the connection idled past validateIdleAfter,
    // so the agent validates it first.
    try (Shell sh = child("validateIdleAfter=200ms").start()) {
      killWhileIdleInThePoolThenBorrowAndUseAgain(sh);
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before the app sent anything");
      assertEquals(1, admin.backends(app));
    }
  }

  /** A pool of one: its connection used, returned, killed while idle in the pool, then borrowed and used again. */
  private void killWhileIdleInThePoolThenBorrowAndUseAgain(Shell sh) {
    sh.ok("hikari p1 " + url() + " 1");
    sh.ok("borrow c1 p1");
    sh.ok("query c1 select 1");
    sh.ok("close c1");
    assertEquals(1, admin.killSessions(app));
    sh.ok("sleep 600");                     // past Hikari's 500 ms alive-bypass window
    sh.ok("borrow c2 p1");
    assertEquals("2", sh.ok("query c2 select 2"));
  }

  @Test
  void closingThePoolLeavesNoSessionIncludingReplacements() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url() + " 2");
      sh.ok("borrow c1 p1");
      sh.ok("borrow c2 p1");
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, admin.killSessions(app));
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, sh.stat("Reconnects"));
      sh.ok("close c1");
      sh.ok("close c2");
      sh.ok("close p1");
      admin.awaitBackends(app, 0, Duration.ofSeconds(15));
    }
  }

  @Test
  void writeWithUnknownOutcomeThroughThePoolIsNotRetriedAndThePoolEvictsNothingItShouldNot() {
    String table = admin.uniqueName("t");
    admin.exec("create table " + table + " (id int primary key)");
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url() + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      admin.killSessions(app);
      String err = sh.err("update c1 insert into " + table + " values (1)");
      assertTrue(admin.isKilledSession(Shell.sqlState(err)), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      sh.ok("close c1");
      sh.ok("borrow c2 p1");
      sh.ok("update c2 insert into " + table + " values (2)");
      assertEquals(1, admin.count("select count(*) from " + table + " where id = 2"));
    } finally {
      admin.exec("drop table if exists " + table);
    }
  }
}
