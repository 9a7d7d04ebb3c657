package connguard.it.operability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * On the first connection to a server the agent reads its idle timeouts once, on a thread and
 * connection of its own: it warns when validateIdleAfter cannot keep up, and
 * validateIdleAfter=auto takes its value from them. The timeout is set for the app's sessions
 * only, through the URL, as ALTER ROLE would for a real app.
 */
class SelfTuningIT {
  private static final Duration LOG_WAIT = Duration.ofSeconds(20);
  private PgAdmin pg;
  private String app;
  private String table;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("tune");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int primary key, v text)");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  /** The app's URL with idle_session_timeout (PostgreSQL 14+) set for its sessions. */
  private String urlWithIdleSessionTimeout(int millis) {
    return pg.url(app) + "&options=-c%20idle_session_timeout%3D" + millis;
  }

  @Test
  void validateIdleAfterLongerThanIdleSessionTimeoutIsWarnedAboutOnce() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true,validateIdleAfter=5s").start()) {
      sh.ok("connect c1 " + urlWithIdleSessionTimeout(3000));
      sh.ok("connect c2 " + urlWithIdleSessionTimeout(3000));
      String warning = "closes idle sessions after 3s (idle_session_timeout) but validateIdleAfter=5s:"
          + " idle connections will die before they are checked; use validateIdleAfter=1500ms"
          + " or validateIdleAfter=auto";
      String stderr = sh.awaitStderr(warning, LOG_WAIT);
      assertEquals(stderr.indexOf(warning), stderr.lastIndexOf(warning), "one warning per server:\n" + stderr);
      assertTrue(stderr.contains("[WARN] connguard: jdbc:postgresql://"), "a WARN naming the server:\n" + stderr);
      assertFalse(stderr.contains("password"), stderr);
    }
  }

  @Test
  void autoValidatesBeforeTheServerClosesSoAnInsertAfterIdleIsWrittenOnce() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true,validateIdleAfter=auto").start()) {
      sh.ok("connect c1 " + urlWithIdleSessionTimeout(3000));
      String stderr = sh.awaitStderr("validateIdleAfter=auto: 1500ms for jdbc:postgresql://", LOG_WAIT);
      assertFalse(stderr.contains("[WARN]"), "auto fits the server:\n" + stderr);

      pg.awaitBackends(app, 0, Duration.ofSeconds(10));   // idle 3 s: the server closed the session
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));

      assertEquals(1, pg.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing to re-execute");
    }
  }

  @Test
  void autoChecksSoonerThanTheDefaultWhenTheServerClosesSooner() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true,validateIdleAfter=auto").start()) {
      sh.ok("connect c1 " + urlWithIdleSessionTimeout(1200));
      sh.awaitStderr("validateIdleAfter=auto: 600ms for jdbc:postgresql://", LOG_WAIT);
      sh.ok("query c1 select 1");                          // idle counts from here

      // Closed after 1.2 s idle: the default 2s would not check yet, and the insert would fail.
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));

      assertEquals(1, pg.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
    }
  }

  @Test
  void defaultOptionsThatFitTheServerLogNoWarning() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true,logLevel=debug").start()) {
      sh.ok("connect c1 " + urlWithIdleSessionTimeout(60_000));
      String stderr = sh.awaitStderr("read the idle timeouts of jdbc:postgresql://", LOG_WAIT);
      assertFalse(stderr.contains("[WARN]"), stderr);
      assertFalse(stderr.contains("closes idle sessions"), stderr);
    }
  }

  @Test
  void aHikariPoolThatKeepsIdleConnectionsLongerThanTheServerIsWarnedAboutOnce() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true").start()) {
      String url = urlWithIdleSessionTimeout(3000);
      sh.ok("hikari p1 " + url);                  // HikariCP's defaults: maxLifetime 30m, no keepalive
      sh.ok("borrow c1 p1");
      String warning = "[WARN] connguard: HikariCP pool 'p1' keeps a connection idle up to maxLifetime=30m"
          + " (keepaliveTime off) but jdbc:postgresql://";
      String stderr = sh.awaitStderr(warning, LOG_WAIT);
      assertTrue(stderr.contains("closes idle sessions after 3s (idle_session_timeout): pooled connections die"
          + " there and are replaced only when borrowed; no HikariCP setting fits (its minimum is 30s): raise"
          + " idle_session_timeout above a minute"), stderr);
      assertEquals(stderr.indexOf(warning), stderr.lastIndexOf(warning), "one warning per pool:\n" + stderr);
    }
  }

  @Test
  void aHikariPoolConfiguredWithADataSourceIsMatchedByItsUrl() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true").start()) {
      sh.ok("hikarids p2 org.postgresql.ds.PGSimpleDataSource " + urlWithIdleSessionTimeout(20 * 60_000));
      sh.ok("borrow c1 p2");
      sh.awaitStderr("[WARN] connguard: HikariCP pool 'p2' keeps a connection idle up to maxLifetime=30m"
          + " (keepaliveTime off) but jdbc:postgresql://", LOG_WAIT);
      String stderr = sh.awaitStderr("use maxLifetime=18m and keepaliveTime=2m", LOG_WAIT);
      assertFalse(stderr.contains("password"), stderr);
    }
  }

  @Test
  void aHikariPoolRetiringConnectionsBeforeTheServerClosesThemIsNotWarnedAbout() {
    try (Shell sh = AppJvm.withAgent("readServerTimeouts=true,logLevel=debug").start()) {
      sh.ok("hikari p3 " + urlWithIdleSessionTimeout(120_000) + " 2 60000");   // maxLifetime 60 s < 2 min
      sh.ok("borrow c1 p3");
      String stderr = sh.awaitStderr("read the idle timeouts of jdbc:postgresql://", LOG_WAIT);
      assertFalse(stderr.contains("[WARN]"), stderr);
      assertFalse(stderr.contains("HikariCP pool"), stderr);
    }
  }
}
