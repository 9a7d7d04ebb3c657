package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The app's Connection stays usable after every error the agent rightly surfaces (a write whose
 * outcome is unknown, a transaction that broke, a COMMIT whose reply was lost, an outage past
 * retryWindow), and the app's own wishes are kept: abort() and close() are never healed over.
 * One suite, one small subclass per database; every invariant is checked from the admin side.
 */
abstract class UsableAfterErrorIT extends DatabaseSuite {
  abstract int serverPort();

  String url(int port) {
    return admin.url(app, port);
  }

  /** An INSERT of one row that takes about {@code seconds} on the server before it writes. */
  abstract String slowInsert(int id, int seconds);

  /** A read that runs for many seconds. */
  abstract String longRead();

  /** A read that answers the session's isolation level, as the name getisolation prints. */
  abstract String isolationRead();

  /** The isolation level SERIALIZABLE as that read answers it. */
  abstract String serializable();

  /** SQL that pins the session (state no fresh connection can be given). */
  abstract String pinningSql();

  AppJvm child(String agentArgs) {
    return AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START);
  }

  Shell connected(Shell sh) {
    sh.ok("connect c1 " + url(serverPort()));
    return sh;
  }

  /** The write's outcome is unknown: the driver's own error, then the same Connection works on. */
  @Test
  void aWriteKilledInFlightSurfacesTheDriversErrorAndTheConnectionWorksOn() throws Exception {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      String err = insertKilledInFlight(sh, 1);
      assertDriversOwn(err);
      assertEquals("false", sh.ok("isclosed c1"), "only the app closes its connection");
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (2, 'next')"));
      assertEquals(0, count("select count(*) from " + table + " where id = 1"), "the killed insert never ran");
      assertEquals(1, count("select count(*) from " + table + " where id = 2"), "the next one ran once");
      assertEquals(1, sh.stat("RetriesRefused"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, backends(), "one fresh session, the dead one gone");
    }
  }

  /** Mid-transaction: 40001, further work refused until rollback(), which needs no server. */
  @Test
  void aTransactionBrokenMidWayIs40001UntilRolledBackThenTheNextOneRuns() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'first')");
      assertEquals(1, kill());
      String broken = sh.err("update c1 insert into " + table + " values (2, 'second')");
      assertTrue(broken.startsWith("40001 0 SQLTransactionRollbackException"), broken);
      String still = sh.err("update c1 insert into " + table + " values (3, 'third')");
      assertTrue(still.startsWith("40001 "), "no half of a transaction on the fresh connection: " + still);
      sh.ok("rollback c1");
      assertEquals("false", sh.ok("isclosed c1"));
      assertEquals("false", sh.ok("getautocommit c1"));
      sh.ok("update c1 insert into " + table + " values (4, 'after')");
      sh.ok("commit c1");
      assertEquals(1, count("select count(*) from " + table));
      assertEquals(1, count("select count(*) from " + table + " where id = 4"));
      assertEquals(1, backends());
    }
  }

  /**
   * What a framework does after it got the 40001 of a broken transaction: Spring's rollback, then
   * Hibernate's release asks the connection and the statement for warnings and clears them, then
   * HikariCP clears them again at return. None of that may fail (a pool evicts the connection on
   * the driver's 08003 and logs its stack trace), and the connection then works on. The
   * connection was healed once before: its calls go to a replacement, which the agent closes
   * when it dies (the app's own object it never closes).
   */
  @Test
  void afterABrokenTransactionAFrameworksCleanupGetsNoWarningsAndNoErrorThenTheConnectionWorksOn() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      assertEquals(1, kill());
      assertEquals("0", sh.ok("query c1 select count(*) from " + table), "healed: a replacement serves c1");
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'first')");
      sh.ok("prepare p1 c1 insert into " + table + " values (?, 'second')");
      sh.ok("set p1 1 int 2");
      assertEquals(1, kill());
      String broken = sh.err("pupdate p1");
      assertTrue(broken.startsWith("40001 0 SQLTransactionRollbackException"), broken);
      assertEquals("none", sh.ok("warnings p1"), "the statement of the broken transaction");
      sh.ok("rollback c1");
      assertEquals("none", sh.ok("warnings c1"), "the connection, after rollback()");
      assertEquals("none", sh.ok("warnings c1"), "and again, as the pool does at return");
      assertEquals("false", sh.ok("isclosed c1"));
      sh.ok("update c1 insert into " + table + " values (3, 'after')");
      sh.ok("commit c1");
      assertEquals(1, count("select count(*) from " + table), "only the transaction after the break");
      assertEquals(1, count("select count(*) from " + table + " where id = 3"));
      assertEquals(1, backends());
    }
  }

  /** A COMMIT sent to a session killed while the transaction idled: unknown, the driver's error. */
  @Test
  void aCommitAfterTheSessionDiedIdleInTransactionSurfacesTheDriversErrorThenRollbackAndOn() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'lost')");
      assertEquals(1, kill());
      String err = sh.err("commit c1");
      assertDriversOwn(err);
      sh.ok("rollback c1");
      assertEquals("false", sh.ok("isclosed c1"));
      sh.ok("update c1 insert into " + table + " values (2, 'kept')");
      sh.ok("commit c1");
      assertEquals(0, count("select count(*) from " + table + " where id = 1"), "the server rolled it back");
      assertEquals(1, count("select count(*) from " + table + " where id = 2"));
      assertEquals(1, backends());
    }
  }

  /** isValid heals a connection known dead (and one the driver finds dead), within its timeout. */
  @Test
  void isValidHealsADeadConnection() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      assertEquals("true", sh.ok("isvalid c1 5"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, backends());
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals(0, sh.stat("StatementsRetried"), "healed before use: nothing to re-execute");
    }
  }

  /** Session setters on a dead connection need no server: recorded, applied on the fresh one. */
  @Test
  void sessionSettersOnADeadConnectionAreAppliedByTheHeal() throws Exception {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      insertKilledInFlight(sh, 1);
      sh.ok("isolation c1 8");
      sh.ok("autocommit c1 false");
      assertEquals("false", sh.ok("getautocommit c1"));
      assertEquals(serializable(), sh.ok("query c1 " + isolationRead()));
      sh.ok("rollback c1");
      assertEquals(1, backends());
    }
  }

  /** The server away past retryWindow: the error, then the same Connection works once it is back. */
  @Test
  void anOutagePastRetryWindowThenTheSameConnectionWorksWhenTheServerIsBack() {
    FaultProxy proxy = FaultProxy.start(serverPort());
    try (Shell sh = child("validateIdleAfter=off,retryWindow=1s").start()) {
      sh.ok("connect c1 " + url(proxy.port()));
      sh.ok("query c1 select 1");
      proxy.refuse(true);
      proxy.cutAll();
      assertDriversOwn(sh.err("query c1 select 2", Duration.ofSeconds(20)));
      assertEquals("false", sh.ok("isclosed c1"));
      long started = System.nanoTime();
      sh.ok("rollback c1");
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 900,
          "rollback() on a dead connection needs no server and waits for no retryWindow");
      assertEquals("false", sh.ok("isvalid c1 1"));
      proxy.refuse(false);
      assertEquals("3", sh.ok("query c1 select 3"));
      assertEquals("true", sh.ok("isvalid c1 2"));
      assertEquals(1, backends());
    } finally {
      proxy.close();
    }
  }

  /** isValid(t) answers within t even when the driver's own check uses it all up (a slow network). */
  @Test
  void isValidKeepsToItsTimeoutWhenTheServerIsSlow() {
    FaultProxy proxy = FaultProxy.start(serverPort());
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url(proxy.port()));
      sh.ok("query c1 select 1");
      proxy.latency(1500);                       // each way: a round trip takes 3 s
      long started = System.nanoTime();
      assertEquals("false", sh.ok("isvalid c1 1", Duration.ofSeconds(20)));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(millis < 1700, "isValid(1) took " + millis + " ms: a heal after the driver's own check must"
          + " get only what is left of the timeout");
      proxy.latency(0);
      assertEquals("1", sh.ok("query c1 select 1", Duration.ofSeconds(20)));
    } finally {
      proxy.close();
    }
  }

  /** abort() from a timer thread during a long read: it fails at once, and nothing is healed. */
  @Test
  void abortDuringALongQueryIsNeverHealedOver() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      sh.ok("abortafter c1 700");
      long started = System.nanoTime();
      String err = sh.err("query c1 " + longRead(), Duration.ofSeconds(60));
      assertDriversOwn(err);
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 10, "at once, not after the read");
      assertEquals("true", sh.ok("isclosed c1"));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"));
      // The server may run the aborted read on until it next writes to the socket (as without the
      // agent); what must not exist is a replacement session.
      assertTrue(backends() <= 1, "no replacement session after abort()");
      kill();
    }
  }

  /** Closing after a heal closes the replacement too; closed statements answer as the driver does. */
  @Test
  void closedObjectsAnswerAsTheDriverDoesAndLeaveNothingBehind() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select 1");
      sh.ok("stmt s2 c1");
      assertEquals("1", sh.ok("pquery s1"));
      assertEquals(1, kill());
      assertEquals("1", sh.ok("pquery s1"));
      assertEquals("false", sh.ok("isclosed s1"));
      assertEquals("false", sh.ok("isclosed s2"), "a statement of a healed connection is not closed");
      sh.ok("close s2");
      assertEquals("true", sh.ok("isclosed s2"));
      // A closed statement's getConnection(): whatever the driver answers without the agent (MariaDB
      // Connector/J throws, pgjdbc returns its connection).
      assertEquals(closedStatementGetConnectionWithoutAgent(), firstWord(sh.send("getconnection s2")));
      sh.ok("close c1");
      assertEquals("true", sh.ok("isclosed c1"));
      awaitBackends(0);
    }
  }

  /** A session holding what cannot be given to a fresh connection stays as the driver left it. */
  @Test
  void aPinnedSessionStaysClosedAndTheLogSaysWhy() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 " + pinningSql());
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      sh.err("query c1 select 1");
      assertEquals("true", sh.ok("isclosed c1"), "no silent replacement of a pinned session");
      assertEquals("false", sh.ok("isvalid c1 1"));
      sh.awaitStderr("session state cannot be restored", Duration.ofSeconds(10));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(0, backends());
    }
  }

  /** A slow INSERT of row {@code id}, its session killed while it runs: the error line, without "ERR ". */
  private String insertKilledInFlight(Shell sh, int id) throws Exception {
    sh.ok("query c1 select 1");
    CompletableFuture<String> insert = CompletableFuture.supplyAsync(
        () -> sh.send("update c1 " + slowInsert(id, 3), Duration.ofSeconds(30)));
    awaitRunning();
    assertEquals(1, kill());
    String answer = insert.get(40, TimeUnit.SECONDS);
    assertTrue(answer.startsWith("ERR "), answer);
    return answer.substring("ERR ".length());
  }

  private String closedStatementGetConnectionWithoutAgent() {
    try (Shell sh = connected(AppJvm.withoutAgent().jvmArg(AppJvm.QUICK_START).start())) {
      sh.ok("stmt s2 c1");
      sh.ok("close s2");
      return firstWord(sh.send("getconnection s2"));
    }
  }

  private static String firstWord(String answer) {
    return answer.split(" ", 2)[0];
  }

  /**
   * An error line ({@code <state> <code> <class> <message>}, as {@link Shell#err} returns it) is the
   * driver's own: its message, not one the agent made, and not a plain SQLException with an 08.
   */
  static void assertDriversOwn(String err) {
    String[] words = err.split(" ", 4);
    assertEquals(4, words.length, err);
    assertFalse(words[3].startsWith("connguard:"), "the driver's message: " + err);
    assertFalse(words[2].equals("SQLException") && words[0].startsWith("08"), "a made-up 08: " + err);
  }
}
