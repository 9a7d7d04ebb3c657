package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HikariCP over PostgreSQL: the pool's proxy and the driver's connection both implement
 * Connection; only the physical one is guarded, so a failure is healed once, below the pool.
 */
class HikariPostgresIT {
  private PgAdmin pg;
  private String app;

  /** A child with the agent and the pool under test (HikariCP 5, the test class path's). */
  AppJvm agent(String agentArgs) {
    return AppJvm.withAgent(agentArgs);
  }

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("hk");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void connectionThatDiesWhileTheAppHoldsItIsHealedOnce() {
    try (Shell sh = agent("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 1");
      sh.ok("borrow c1 p1");
      assertEquals("com.zaxxer.hikari.pool.HikariProxyConnection", sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"), "once per failure, not once per layer");
      assertEquals(1, sh.stat("Reconnects"));
      sh.ok("close c1");                    // back to the pool
      sh.ok("borrow c2 p1");
      assertEquals("3", sh.ok("query c2 select 3"));
      assertEquals(1, pg.backends(app), "pool size 1: one backend, the replacement");
    }
  }

  @Test
  void connectionThatDiesIdleInThePoolNeverReachesTheAppAsAnError() {
    try (Shell sh = agent("").start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      sh.ok("close c1");
      assertEquals(1, pg.terminate(app));
      sh.ok("sleep 600");                   // past Hikari's 500 ms alive-bypass window
      sh.ok("borrow c2 p1");
      assertEquals("2", sh.ok("query c2 select 2"));
    }
  }

  @Test
  void closingThePoolLeavesNoBackendIncludingReplacements() {
    try (Shell sh = agent("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 2");
      sh.ok("borrow c1 p1");
      sh.ok("borrow c2 p1");
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      pg.terminate(app);
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, sh.stat("Reconnects"));
      sh.ok("close c1");
      sh.ok("close c2");
      sh.ok("close p1");
      pg.awaitBackends(app, 0, Duration.ofSeconds(15));
    }
  }

  @Test
  void writeWithUnknownOutcomeThroughThePoolIsNotRetriedAndThePoolEvictsNothingItShouldNot() {
    String table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int primary key)");
    try (Shell sh = agent("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      pg.terminate(app);
      String err = sh.err("update c1 insert into " + table + " values (1)");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      sh.ok("close c1");
      sh.ok("borrow c2 p1");
      sh.ok("update c2 insert into " + table + " values (2)");
      assertEquals(1, pg.count("select count(*) from " + table + " where id = 2"));
    } finally {
      pg.exec("drop table if exists " + table);
    }
  }
}
