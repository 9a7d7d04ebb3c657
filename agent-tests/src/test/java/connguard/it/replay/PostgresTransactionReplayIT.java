package connguard.it.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TransactionReplayIT} on PostgreSQL (pg_terminate_backend), plus what only PostgreSQL has. */
class PostgresTransactionReplayIT extends TransactionReplayIT {
  PgAdmin pg;
  String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("tr");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int, v varchar(20))");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  @Override SqlAdmin admin() {
    return pg;
  }

  @Override Shell connected(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).start();
    sh.ok("connect c1 " + pg.url(app));
    return sh;
  }

  @Override int kill() {
    return pg.terminate(app);
  }

  @Test
  void sequenceValueTheAppReadIsNotReplayedSilently() {
    String seq = pg.uniqueName("q");
    pg.exec("create sequence " + seq);
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      String id = sh.ok("query c1 select nextval('" + seq + "')");
      sh.ok("update c1 insert into " + table + " values (" + id + ", 'n')");
      assertEquals(1, kill());
      String err = sh.err("update c1 insert into " + table + " values (99, 'm')");
      assertEquals("40001", Shell.sqlState(err), "the replay's nextval differs from what the app read: " + err);
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("ReplaysRefused"));
    } finally {
      pg.exec("drop sequence if exists " + seq);
    }
  }

  @Test
  void updateCountThatDiffersOnReplayIsRefused() {
    pg.exec("insert into " + table + " values (1, 'a'), (2, 'a')");
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      assertEquals("2", sh.ok("update c1 update " + table + " set v = 'b' where v = 'a'"));
      assertEquals(1, kill());
      pg.exec("insert into " + table + " values (3, 'a')");
      String err = sh.err("update c1 insert into " + table + " values (4, 'c')");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("count 3, the first time count 2"), err);
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + table + " where v <> 'a'"));
    }
  }

  @Test
  void transactionBegunWithSqlIsReplayedWithItsBegin() {
    try (Shell sh = connected(REPLAY)) {
      sh.ok("execute c1 begin");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, kill());
      sh.ok("update c1 insert into " + table + " values (2, 'b')");
      sh.ok("execute c1 commit");
      assertEquals(2, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals("true", sh.ok("getautocommit c1"));
    }
  }

  @Test
  void killedThenCommitDirectlyReplaysAndCommitsOnce() {
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, kill());
      sh.ok("commit c1");
      assertEquals(1, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsReplayed"));
    }
  }

  @Test
  void poolConnectionKilledMidTransactionIsReplayedBelowHikari() {
    try (Shell sh = AppJvm.withAgent(REPLAY).start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals("1,a", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, kill());
      sh.ok("update c1 insert into " + table + " values (2, 'b')");
      sh.ok("commit c1");
      sh.ok("close c1");
      assertEquals(2, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      pg.awaitBackends(app, 1, Duration.ofSeconds(10));
    }
  }

  @Test
  void generatedKeyTheAppReadIsVerifiedAndADifferentOneIsRefused() {
    String keyed = pg.uniqueName("k");
    pg.exec("create table " + keyed + " (id serial primary key, v text)");
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      sh.ok("preparekeys ins c1 insert into " + keyed + " (v) values (?)");
      sh.ok("set ins 1 string a");
      sh.ok("pupdate ins");
      assertTrue(sh.ok("keys ins").startsWith("1,"), "the app read id 1");
      assertEquals(1, kill());
      String err = sh.err("update c1 insert into " + keyed + " (v) values ('b')");
      assertEquals("40001", Shell.sqlState(err), "the replay's serial is 2, not the 1 the app saw: " + err);
      assertTrue(err.contains("generated keys"), err);
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + keyed));
    } finally {
      pg.exec("drop table if exists " + keyed);
    }
  }

  @Test
  void generatedKeyTheAppNeverReadDoesNotStopTheReplay() {
    String keyed = pg.uniqueName("k");
    pg.exec("create table " + keyed + " (id serial primary key, v text)");
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      sh.ok("preparekeys ins c1 insert into " + keyed + " (v) values (?)");
      sh.ok("set ins 1 string a");
      sh.ok("pupdate ins");
      assertEquals(1, kill());
      sh.ok("update c1 insert into " + keyed + " (v) values ('b')");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + keyed));
      assertEquals(1, sh.stat("TransactionsReplayed"));
    } finally {
      pg.exec("drop table if exists " + keyed);
    }
  }

  @Test
  void transactionFoundDeadByValidationIsReplayedBeforeTheNextStatementIsSent() {
    try (Shell sh = connected("validateIdleAfter=200ms,transactionReplay=true")) {
      sh.ok("execute c1 set idle_in_transaction_session_timeout = '400ms'");
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));   // the server ended the idle transaction
      sh.ok("update c1 insert into " + table + " values (2, 'b')");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing re-executed");
    }
  }

  @Test
  void withoutReplayATransactionFoundDeadByValidationIsRefusedNotHalfCommitted() {
    try (Shell sh = connected("validateIdleAfter=200ms")) {
      sh.ok("execute c1 set idle_in_transaction_session_timeout = '400ms'");
      sh.ok("autocommit c1 false");
      sh.ok("prepare ins c1 insert into " + table + " values (?, 'p')");
      sh.ok("set ins 1 int 1");
      sh.ok("pupdate ins");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      sh.ok("set ins 1 int 2");
      String err = sh.err("pupdate ins");     // the execute itself finds the connection dead
      assertTrue(err.contains("transaction was lost"), "must not start a new transaction with row 2 alone: " + err);
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")));
      sh.ok("rollback c1");                   // 40001: a pool keeps the connection, rollback() works
      assertEquals(0, pg.count("select count(*) from " + table), "no half transaction");
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  @Test
  void transactionThatRanDdlIsNotReplayed() {
    String other = pg.uniqueName("d");
    try (Shell sh = connected(REPLAY)) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      sh.ok("execute c1 create table " + other + " (x int)");
      assertEquals(1, kill());
      String err = sh.err("update c1 insert into " + table + " values (2, 'b')");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("commit by itself"), err);
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + table));
    } finally {
      pg.exec("drop table if exists " + other);
    }
  }
}
