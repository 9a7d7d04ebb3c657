package connguard.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.DoctorCli;
import connguard.it.harness.Shell;
import connguard.it.servers.PrivatePostgres;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover on a private PostgreSQL primary and a streaming standby of it (pg_basebackup -R), with
 * the app behind an endpoint (our loopback proxy) that leads to the standby, as DNS or a VIP does
 * for a while after a failover: the app's write is refused as read-only (25006). With the agent
 * it runs once on the writable server as soon as the endpoint leads to one (moved, or the standby
 * promoted), within retryWindow; an app that asked for read-only, or has work in a transaction
 * without transactionReplay, gets the server's error. With transactionReplay, a transaction with
 * work is replayed on the writable server first, or lost (40001). Row counts come from the
 * servers, not from the app.
 */
class PostgresFailoverIT {
  private static final Duration STEP = Duration.ofMillis(1_000);
  private static PrivatePostgres primary;
  private static PrivatePostgres standby;
  private FaultProxy endpoint;
  private String table;
  private static int tables;

  @BeforeAll
  static void startPair() {
    primary = PrivatePostgres.start();
    standby = primary.startStandby();
  }

  @AfterAll
  static void stopPair() {
    if (standby != null) {
      standby.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  @BeforeEach
  void toTheStandby() {
    table = "fo" + (++tables);
    primary.admin().exec("create table " + table + " (id int primary key)");
    standby.awaitReplayed(primary, Duration.ofSeconds(30));
    endpoint = FaultProxy.start(standby.port());
  }

  @AfterEach
  void closeEndpoint() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private String url() {
    return primary.admin().url("failover", endpoint.port());
  }

  @Test
  void withoutTheAgentTheWriteOnTheStandbyFails() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + url());
      assertEquals("25006", Shell.sqlState(sh.err("update c1 insert into " + table + " values (1)")));
    }
  }

  @Test
  void aWriteOnTheStandbyRunsOnceOnThePrimaryWhenTheEndpointMovesThere() throws Exception {
    try (Shell sh = AppJvm.withAgent("retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      assertEquals("t", sh.ok("query c1 select pg_is_in_recovery()"));
      Thread mover = later(() -> endpoint.retarget(primary.port()));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1)", Duration.ofSeconds(30)));
      mover.join(10_000);
      assertEquals(1, primary.admin().count("select count(*) from " + table), "exactly one row, on the primary");
      assertEquals("f", sh.ok("query c1 select pg_is_in_recovery()"), "the same Connection is on the primary now");
      assertEquals(1, sh.stat("FailoversFollowed"));
      assertTrue(sh.stat("LastFailoverMillis") >= STEP.toMillis() / 2, "it waited for the endpoint");
      sh.awaitStderr("followed the failover to 127.0.0.1:" + primary.port(), Duration.ofSeconds(10));
    }
  }

  @Test
  void aWriteOnTheStandbyRunsOnItOnceItIsPromoted() throws Exception {
    try (PrivatePostgres second = primary.startStandby()) {
      FaultProxy toSecond = FaultProxy.start(second.port());
      try (Shell sh = AppJvm.withAgent("retryWindow=20s").start()) {
        second.awaitReplayed(primary, Duration.ofSeconds(30));
        sh.ok("connect c1 " + primary.admin().url("failover", toSecond.port()));
        long[] promotedAt = new long[1];
        Thread promoter = later(() -> {
          second.promote();
          promotedAt[0] = System.nanoTime();
        });
        assertEquals("1", sh.ok("update c1 insert into " + table + " values (2)", Duration.ofSeconds(40)));
        long afterPromotionMillis = (System.nanoTime() - promotedAt[0]) / 1_000_000;
        promoter.join(10_000);
        // The record for the target (first success <= 1 s after the promotion): in the report.
        System.out.println("failover: first success " + afterPromotionMillis + " ms after pg_ctl promote returned");
        assertEquals(1, second.admin().count("select count(*) from " + table + " where id = 2"));
        assertEquals(0, primary.admin().count("select count(*) from " + table), "nothing on the old primary");
        // Retries back off to 1 s: the first success comes at most about that after promotion.
        assertTrue(afterPromotionMillis < 2_500, "ran " + afterPromotionMillis + " ms after the promotion");
        assertEquals(1, sh.stat("FailoversFollowed"));
      } finally {
        toSecond.close();
      }
    }
  }

  /**
   * PostgreSQL aborts the transaction a refused write was in (25P02 for anything but a rollback):
   * the first write of a transaction on the standby follows the failover all the same, and the
   * transaction goes on, and commits, on the primary.
   */
  @Test
  void aTransactionsFirstWriteOnTheStandbyRunsOnThePrimaryAndTheTransactionGoesOnThere() throws Exception {
    try (Shell sh = AppJvm.withAgent("retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      Thread mover = later(() -> endpoint.retarget(primary.port()));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (10)", Duration.ofSeconds(30)));
      mover.join(10_000);
      assertEquals("false", sh.ok("getautocommit c1"), "still in the app's transaction");
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (11)"));
      assertEquals(0, primary.admin().count("select count(*) from " + table), "nothing committed before commit()");
      sh.ok("commit c1");
      assertEquals(2, primary.admin().count("select count(*) from " + table), "both rows, once, on the primary");
      assertEquals(1, sh.stat("FailoversFollowed"));
    }
  }

  /**
   * A connection on the primary dies and the endpoint leads to the standby for a while (a
   * switchover under way): the agent's fresh connection is on the standby, which refuses the
   * re-executed write; it follows the failover from there and runs the write once on the primary.
   */
  @Test
  void aWriteReExecutedAfterItsConnectionDiedFollowsTheFailoverWhenTheFreshConnectionIsOnTheStandby()
      throws Exception {
    endpoint.retarget(primary.port());
    try (Shell sh = AppJvm.withAgent("retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      assertEquals("f", sh.ok("query c1 select pg_is_in_recovery()"));
      endpoint.retarget(standby.port());
      primary.admin().terminate("failover");
      Thread mover = later(() -> endpoint.retarget(primary.port()));
      assertEquals("1", sh.ok("update c1 /* connguard:idempotent */ insert into " + table
          + " values (12) on conflict do nothing", Duration.ofSeconds(30)));
      mover.join(10_000);
      assertEquals(1, primary.admin().count("select count(*) from " + table), "once, on the primary");
      assertEquals(1, sh.stat("FailoversFollowed"));
    }
  }

  @Test
  void anAppThatAskedForReadOnlyGetsTheServersErrorAndStaysWhereItIs() {
    try (Shell sh = AppJvm.withAgent("retryWindow=5s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("readonly c1 true");
      endpoint.retarget(primary.port());       // a writable server is right there: still not taken
      assertEquals("25006", Shell.sqlState(sh.err("update c1 insert into " + table + " values (3)")));
      assertEquals("t", sh.ok("query c1 select pg_is_in_recovery()"));
      assertEquals(0, sh.stat("FailoversFollowed"));
      assertEquals(0, sh.stat("Reconnects"));
    }
  }

  /** Without transactionReplay nothing is touched: the server's error, its aborted transaction. */
  @Test
  void inATransactionWithWorkTheServersErrorStands() {
    try (Shell sh = AppJvm.withAgent("retryWindow=5s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select count(*) from " + table);
      endpoint.retarget(primary.port());
      assertEquals("25006", Shell.sqlState(sh.err("update c1 insert into " + table + " values (4)")));
      assertEquals("25P02", Shell.sqlState(sh.err("query c1 select 1")), "the transaction as the server left it");
      sh.ok("rollback c1");
      assertEquals(0, sh.stat("FailoversFollowed"));
      assertEquals(0, primary.admin().count("select count(*) from " + table));
    }
  }

  // transactionReplay=true: a transaction that did work before its write was refused follows too.

  private static final String REPLAY = "transactionReplay=true,validateIdleAfter=off,";

  /**
   * A transaction read on the standby (the endpoint led there), then wrote: the write is refused
   * (25006, the transaction aborted). The agent waits for the endpoint to lead to the primary,
   * replays the read there (same rows: verified), runs the write once, and the transaction goes on
   * and commits on the primary.
   */
  @Test
  void withTransactionReplayATransactionThatReadOnTheStandbyIsReplayedOnThePrimaryAndItsWriteRunsOnce()
      throws Exception {
    primary.admin().exec("insert into " + table + " values (100)");
    standby.awaitReplayed(primary, Duration.ofSeconds(30));
    try (Shell sh = AppJvm.withAgent(REPLAY + "retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      assertEquals("1", sh.ok("query c1 select count(*) from " + table), "read on the standby");
      Thread mover = later(() -> endpoint.retarget(primary.port()));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (20)", Duration.ofSeconds(30)));
      mover.join(10_000);
      assertEquals("2", sh.ok("query c1 select count(*) from " + table), "the same transaction, its write in it");
      assertEquals(0, primary.admin().count("select count(*) from " + table + " where id = 20"), "not before commit()");
      sh.ok("commit c1");
      assertEquals(1, primary.admin().count("select count(*) from " + table + " where id = 20"), "once, on the primary");
      assertEquals(2, primary.admin().count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(1, sh.stat("FailoversFollowed"));
      assertEquals(0, sh.stat("ReplaysRefused"));
      assertEquals(0, sh.stat("TransactionsLost"));
      sh.awaitStderr("replayed its transaction there and re-executed it", Duration.ofSeconds(10));
    }
  }

  /**
   * The same on a standby promoted a second after the refusal: the transaction is replayed onto
   * the first fresh connection that finds it writable, never onto the read-only ones before.
   */
  @Test
  void withTransactionReplayATransactionOnAStandbyIsReplayedOnItOnceItIsPromoted() throws Exception {
    try (PrivatePostgres second = primary.startStandby()) {
      FaultProxy toSecond = FaultProxy.start(second.port());
      try (Shell sh = AppJvm.withAgent(REPLAY + "retryWindow=20s").start()) {
        second.awaitReplayed(primary, Duration.ofSeconds(30));
        sh.ok("connect c1 " + primary.admin().url("failover", toSecond.port()));
        assertEquals("t", sh.ok("query c1 select pg_is_in_recovery()"), "on the standby (not in the transaction:"
            + " a replay on the promoted server would read f)");
        sh.ok("autocommit c1 false");
        assertEquals("0", sh.ok("query c1 select count(*) from " + table));
        long[] promotedAt = new long[1];
        Thread promoter = later(() -> {
          second.promote();
          promotedAt[0] = System.nanoTime();
        });
        assertEquals("1", sh.ok("update c1 insert into " + table + " values (21)", Duration.ofSeconds(40)));
        long afterPromotionMillis = (System.nanoTime() - promotedAt[0]) / 1_000_000;
        promoter.join(10_000);
        System.out.println("failover (transaction replayed): first success " + afterPromotionMillis
            + " ms after pg_ctl promote returned");
        sh.ok("commit c1");
        assertEquals(1, second.admin().count("select count(*) from " + table + " where id = 21"), "once, promoted");
        assertEquals(0, primary.admin().count("select count(*) from " + table), "nothing on the old primary");
        assertTrue(afterPromotionMillis < 2_500, "ran " + afterPromotionMillis + " ms after the promotion");
        assertEquals(1, sh.stat("TransactionsReplayed"));
        assertEquals(0, sh.stat("ReplaysRefused"));
        assertEquals(1, sh.stat("FailoversFollowed"));
      } finally {
        toSecond.close();
      }
    }
  }

  /**
   * The connection dies mid-transaction in a switchover and the endpoint leads to the standby: the
   * transaction (a read) is replayed on the agent's fresh connection there, its write is refused,
   * and it follows the failover: replayed again on the primary, the write run once.
   */
  @Test
  void withTransactionReplayATransactionWhoseConnectionDiedAndWhoseFreshOneIsOnTheStandbyFollows()
      throws Exception {
    endpoint.retarget(primary.port());
    try (Shell sh = AppJvm.withAgent(REPLAY + "retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      endpoint.retarget(standby.port());
      primary.admin().terminate("failover");
      Thread mover = later(() -> endpoint.retarget(primary.port()));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (25)", Duration.ofSeconds(30)));
      mover.join(10_000);
      sh.ok("commit c1");
      assertEquals(1, primary.admin().count("select count(*) from " + table), "once, on the primary");
      assertEquals(2, sh.stat("TransactionsReplayed"), "on the standby after the heal, then on the primary");
      assertEquals(1, sh.stat("FailoversFollowed"));
      assertEquals(0, sh.stat("TransactionsLost"));
    }
  }

  /**
   * The rows the transaction read changed on the primary before the endpoint led there: the
   * replay is refused, the write is not run, and the app gets 40001 until its rollback(); the
   * connection is on the primary and works on.
   */
  @Test
  void withTransactionReplayRowsChangedOnThePrimaryRefuseTheReplayAndTheWriteIsNotRun() {
    try (Shell sh = AppJvm.withAgent(REPLAY + "retryWindow=15s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table), "read on the standby");
      primary.admin().exec("insert into " + table + " values (99)");
      endpoint.retarget(primary.port());
      String err = sh.err("update c1 insert into " + table + " values (22)", Duration.ofSeconds(30));
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("transaction lost and not replayed"), err);
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")), "the transaction is gone: commit must not pretend");
      sh.ok("rollback c1");
      assertEquals(0, primary.admin().count("select count(*) from " + table + " where id = 22"), "never run");
      assertEquals("f", sh.ok("query c1 select pg_is_in_recovery()"), "the connection is on the primary");
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (23)"), "and works on");
      sh.ok("commit c1");
      assertEquals(2, primary.admin().count("select count(*) from " + table), "99 and 23");
      assertEquals(1, sh.stat("ReplaysRefused"));
      assertEquals(0, sh.stat("TransactionsReplayed"));
      assertEquals(1, sh.stat("TransactionsLost"));
      assertEquals(1, sh.stat("FailoversFollowed"));
    }
  }

  /**
   * No writable server within retryWindow: the write gets the server's error, and the transaction
   * (rolled back on the server to ask it) is lost: 40001 until rollback(), not carried on in a new
   * transaction as if intact. Then the connection reads on.
   */
  @Test
  void withTransactionReplayNoWritableServerWithinRetryWindowLosesTheTransactionNotSilently() {
    try (Shell sh = AppJvm.withAgent(REPLAY + "retryWindow=1s").start()) {
      sh.ok("connect c1 " + url());
      sh.ok("autocommit c1 false");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      String err = sh.err("update c1 insert into " + table + " values (24)", Duration.ofSeconds(20));
      assertEquals("25006", Shell.sqlState(err), err);
      String next = sh.err("query c1 select count(*) from " + table);
      assertEquals("40001", Shell.sqlState(next), next);
      assertTrue(next.contains("no writable server within retryWindow"), next);
      sh.ok("rollback c1");
      assertEquals("1", sh.ok("query c1 select 1"), "the same Connection works");
      assertEquals(0, primary.admin().count("select count(*) from " + table));
      assertEquals(0, sh.stat("FailoversFollowed"));
      assertEquals(1, sh.stat("TransactionsLost"));
      assertEquals(0, sh.stat("TransactionsReplayed"));
    }
  }

  @Test
  void noWritableServerWithinRetryWindowIsTheServersErrorAndTheConnectionStillReads() {
    try (Shell sh = AppJvm.withAgent("retryWindow=1s").start()) {
      sh.ok("connect c1 " + url());
      long started = System.nanoTime();
      String err = sh.err("update c1 insert into " + table + " values (5)", Duration.ofSeconds(20));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertEquals("25006", Shell.sqlState(err));
      assertTrue(tookMillis < 8_000, "bounded by retryWindow, took " + tookMillis + " ms");
      assertEquals("1", sh.ok("query c1 select 1"), "the same Connection works");
      assertEquals(0, sh.stat("FailoversFollowed"));
      assertEquals(0, primary.admin().count("select count(*) from " + table));
    }
  }

  /**
   * A switchover under a HikariCP pool: the VIP in front of the primary drops every session and
   * refuses for a moment, then leads to a standby that is promoted a second later. The app's
   * reads and its write get no error; the write runs once, on the promoted server.
   */
  @Test
  void aHikariPoolRidesASwitchoverWithoutAnError() throws Exception {
    assertEquals("OK 0 | OK 1", switchoverUnderAPool(AppJvm.withAgent("validateIdleAfter=off,retryWindow=20s"), 6));
  }

  @Test
  void withoutTheAgentTheAppGetsErrorsFromThePoolAfterTheSwitchover() throws Exception {
    String answers = switchoverUnderAPool(AppJvm.withoutAgent(), 7);
    assertTrue(answers.contains("ERR "), answers);
  }

  /**
   * A switchover under a HikariCP pool: the VIP in front of the primary drops every session and
   * refuses for a moment, then leads to a standby that is promoted a second later. The app
   * borrows, reads and writes row {@code id}: returns the two answers ("OK 0 | OK 1"); a write
   * acknowledged ran once, on the promoted server, and one that was not never ran.
   */
  private String switchoverUnderAPool(AppJvm app, int id) throws Exception {
    try (PrivatePostgres second = primary.startStandby()) {
      second.awaitReplayed(primary, Duration.ofSeconds(30));
      FaultProxy vip = FaultProxy.start(primary.port());
      try (Shell sh = app.start()) {
        sh.ok("hikari p1 " + primary.admin().url("pool", vip.port()) + " 2");
        sh.ok("borrow c1 p1");
        assertEquals("0", sh.ok("query c1 select count(*) from " + table));
        sh.ok("close c1");
        vip.refuse(true);
        vip.cutAll();                                   // the old primary is gone
        Thread switchover = new Thread(() -> {
          try {
            Thread.sleep(500);
            vip.retarget(second.port());                 // the VIP moves before the promotion ends
            vip.refuse(false);
            Thread.sleep(STEP.toMillis());
            second.promote();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "switchover");
        switchover.start();
        sh.ok("borrow c2 p1", Duration.ofSeconds(30));
        String read = sh.send("query c2 select count(*) from " + table, Duration.ofSeconds(30));
        String answer = sh.send("update c2 insert into " + table + " values (" + id + ")", Duration.ofSeconds(30));
        sh.ok("close c2");
        switchover.join(10_000);
        long rows = second.admin().count("select count(*) from " + table + " where id = " + id);
        assertEquals(answer.startsWith("OK ") ? 1 : 0, rows, "once if acknowledged, else never: " + answer);
        assertEquals(0, primary.admin().count("select count(*) from " + table), "nothing on the old primary");
        assertTrue(second.admin().count("select count(*) from pg_stat_activity where application_name = 'pool'") <= 2,
            "no more sessions than the pool holds");
        return firstLine(read) + " | " + firstLine(answer);
      } finally {
        vip.close();
      }
    }
  }

  @Test
  void doctorRecommendsAMultiHostUrlForAPrimaryWithAStandbyAndAOneHostUrl() {
    String oneHost = primary.admin().url("doctor", primary.port());
    DoctorCli.Run run = DoctorCli.run(DoctorCli.classPathLaunch(), Map.of(), oneHost);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("streams to 1 standby (127.0.0.1)"), run.out());
    assertTrue(run.out().contains("targetServerType=primary"), run.out());
    String twoHosts = oneHost.replace("127.0.0.1:" + primary.port(),
        "127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port());
    run = DoctorCli.run(DoctorCli.classPathLaunch(), Map.of(), twoHosts);
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(run.out().contains("standby"), "a multi-host URL needs no note:\n" + run.out());
  }

  private static String firstLine(String answer) {
    int end = answer.indexOf('\n');
    return end < 0 ? answer : answer.substring(0, end);
  }

  /** Runs {@code step} one {@link #STEP} from now, on a thread of its own. */
  private static Thread later(Runnable step) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(STEP.toMillis());
        step.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "failover-step");
    t.start();
    return t;
  }
}
