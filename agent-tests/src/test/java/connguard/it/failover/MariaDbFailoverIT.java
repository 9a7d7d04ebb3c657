package connguard.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.PrivateMariaDb;
import connguard.it.servers.StopMode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover on two private MariaDB servers, as MariaDB Connector/J's {@code sequential:} URL sees
 * it (the driver reconnects to the next host by itself and answers the interrupted call with
 * 25S03), and a server set {@code read_only} under an app that did not ask for it (1290) until
 * it is writable again, as a demoted and re-promoted primary is. Both servers hold the same rows,
 * so a read answers the same wherever it runs; counts come from the servers.
 */
class MariaDbFailoverIT {
  private PrivateMariaDb first;
  private PrivateMariaDb second;
  private String user;

  @BeforeEach
  void startTwo() {
    first = PrivateMariaDb.start();
    second = PrivateMariaDb.start();
    for (PrivateMariaDb db : new PrivateMariaDb[] {first, second}) {
      db.admin().exec("create table t (id int primary key, v varchar(10))");
      db.admin().exec("insert into t values (1, 'one'), (2, 'two')");
      db.admin().exec("create user 'app'@'" + MariaDbAdmin.HOST + "'");
      db.admin().exec("grant all privileges on test.* to 'app'@'" + MariaDbAdmin.HOST + "'");
    }
    user = "app";
  }

  @AfterEach
  void stopTwo() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private String sequentialUrl() {
    return "jdbc:mariadb:sequential://" + MariaDbAdmin.HOST + ":" + first.port() + "," + MariaDbAdmin.HOST + ":"
        + second.port() + "/test?user=" + user;
  }

  @Test
  void withoutTheAgentTheDriversOwnFailoverAnswersTheReadWith25S03() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + sequentialUrl());
      sh.ok("prepare s1 c1 select count(*) from t where id <= ?");
      sh.ok("set s1 1 int 2");
      assertEquals("2", sh.ok("pquery s1"));
      first.stop(StopMode.FAST);
      assertEquals("25S03", Shell.sqlState(sh.err("pquery s1")));
    }
  }

  @Test
  void aReadTheDriverInterruptedWhenItFailedOverRunsAgainOnItsNewConnection() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + sequentialUrl());
      sh.ok("prepare s1 c1 select count(*) from t where id <= ?");
      sh.ok("set s1 1 int 2");
      assertEquals("2", sh.ok("pquery s1"));
      first.stop(StopMode.FAST);
      assertEquals("2", sh.ok("pquery s1"), "the read, re-executed on the second server");
      assertEquals(1, sh.stat("FailoversFollowed"));
      assertEquals(0, sh.stat("Reconnects"), "the driver reconnected, not the agent");
      assertEquals(1, second.admin().backends(user), "the app is on the second server");
      sh.awaitStderr("the driver failed over by itself", Duration.ofSeconds(10));
    }
  }

  @Test
  void aWriteTheDriverInterruptedKeepsTheDriversAnswerAndIsNeverRunTwice() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + sequentialUrl());
      sh.ok("query c1 select 1");
      first.admin().exec("create table if not exists w (id int primary key)");
      second.admin().exec("create table if not exists w (id int primary key)");
      first.stop(StopMode.FAST);
      String err = sh.err("update c1 insert into w values (1)");
      long onSecond = second.admin().count("select count(*) from w");
      assertTrue(err.startsWith("25S03") || onSecond == 1, err);
      assertTrue(onSecond <= 1, "never twice");
      assertEquals(0, sh.stat("FailoversFollowed"), "a write of unknown outcome is not re-executed");
    }
  }

  @Test
  void aWriteOnAServerSetReadOnlyRunsOnceWhenItIsWritableAgain() throws Exception {
    try (Shell sh = AppJvm.withAgent("retryWindow=15s").start()) {
      sh.ok("connect c1 " + first.admin().url(user, first.port()));
      first.admin().exec("set global read_only = 1");
      Thread writable = new Thread(() -> {
        try {
          Thread.sleep(1_000);
          first.admin().exec("set global read_only = 0");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      writable.start();
      assertEquals("1", sh.ok("update c1 insert into t values (3, 'three')", Duration.ofSeconds(30)));
      writable.join(10_000);
      assertEquals(1, first.admin().count("select count(*) from t where id = 3"), "exactly once");
      assertEquals(1, sh.stat("FailoversFollowed"));
    }
  }

  @Test
  void withoutTheAgentTheWriteOnAReadOnlyServerFails() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + first.admin().url(user, first.port()));
      first.admin().exec("set global read_only = 1");
      String err = sh.err("update c1 insert into t values (4, 'four')");
      assertTrue(err.contains("read-only") || err.contains("read_only"), err);
      assertEquals(0, first.admin().count("select count(*) from t where id = 4"));
    }
  }
}
