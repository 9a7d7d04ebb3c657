package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import org.junit.jupiter.api.Test;

/**
 * The core promise, once per database and driver (one small subclass each): sessions killed from
 * the admin side or ended by the server's idle timeout are healed, and what is re-executed is
 * exactly what is safe. Every behaviour is checked from the admin connection and the JMX
 * counters, not only from what the app printed, and the baseline without the agent is shown to
 * fail.
 */
abstract class RecoveryIT extends DatabaseSuite {
  /** The driver's own Connection class: the app keeps seeing it after a heal. */
  abstract String connectionClass();

  /** The driver's own DataSource, which makes its connection through a Driver of its own. */
  abstract String dataSourceClass();

  /** A statement after which the server ends the session once it has idled a second at most. */
  abstract String shortIdleTimeout();

  /** A read of the server's id of the session. */
  abstract String sessionIdRead();

  /** A read that takes the next value of a sequence: it changes the server, so it is no read to repeat. */
  abstract String nextValueRead(String sequence);

  /** Takes a session lock (an advisory lock, GET_LOCK), as a migration tool does at start. */
  abstract String sessionLock(int key);

  /** Releases it. */
  abstract String sessionUnlock(int key);

  /**
   * Statements the server refuses without ending the session, each checked by the server's own
   * code: a syntax error, a duplicate of row 1 (id is unique here), a statement over its time
   * limit, and whatever else this server has.
   */
  abstract void runStatementsTheServerRefuses(Shell sh);

  /** The child's JDBC URL for this driver. */
  String url() {
    return admin.url(app);
  }

  /**
   * A child with the agent, C1 only ({@link AppJvm#QUICK_START}: nothing tested here depends on
   * the JIT). Without the agent's own look at the server's timeouts (SelfTuningIT covers it): that
   * connection of the same app would race the kills and backend counts here.
   */
  AppJvm child(String agentArgs) {
    return AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START);
  }

  AppJvm childWithoutAgent() {
    return AppJvm.withoutAgent().jvmArg(AppJvm.QUICK_START);
  }

  Shell connected(Shell sh) {
    sh.ok("connect c1 " + url());
    return sh;
  }

  void assertKilledSession(String err) {
    assertTrue(admin.isKilledSession(Shell.sqlState(err)), err);
  }

  @Test
  void withoutAgentAQueryAfterKillFails() {
    try (Shell sh = connected(childWithoutAgent().start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      assertKilledSession(sh.err("query c1 select 1"));
    }
  }

  /**
   * Flyway and Liquibase take a session lock for the migration at start and release it: the
   * connection then goes back to the pool with nothing a fresh connection lacks, and heals.
   */
  @Test
  void aSessionLockTakenAndReleasedLeavesTheConnectionHealable() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 " + sessionLock(7));
      sh.ok("query c1 " + sessionUnlock(7));
      assertEquals(1, kill());
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  /** A lock still held is state no fresh connection has: the session stays as the driver left it. */
  @Test
  void aSessionLockStillHeldIsNotHealedOver() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 " + sessionLock(7));
      sh.ok("query c1 " + sessionLock(8));
      sh.ok("query c1 " + sessionUnlock(7));
      assertEquals(1, kill());
      sh.err("query c1 select 2");
      sh.awaitStderr("session state cannot be restored", WAIT);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("Reconnects"));
    }
  }

  @Test
  void selectAfterKillIsRetriedOnce() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      assertEquals(1, kill());
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("DeadConnectionsDetected"));
      assertEquals(1, backends(), "the killed session is gone, one fresh one serves the app");
      sh.awaitStderr("re-executed executeQuery", WAIT);
    }
  }

  @Test
  void idleConnectionClosedByTheServerIsValidatedAndReplacedBeforeAnInsertSoItIsWrittenOnce() {
    try (Shell sh = connected(child("validateIdleAfter=200ms").start())) {
      sh.ok("execute c1 " + shortIdleTimeout());
      awaitBackends(0);                    // the server closed the idle session
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing to re-execute");
    }
  }

  @Test
  void withoutAgentAnInsertAfterTheServerClosedTheIdleSessionFails() {
    try (Shell sh = connected(childWithoutAgent().start())) {
      sh.ok("execute c1 " + shortIdleTimeout());
      awaitBackends(0);
      sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertEquals(0, count("select count(*) from " + table));
    }
  }

  @Test
  void readAfterTheServerClosedTheIdleSessionIsRetriedWhenValidationIsOff() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 " + shortIdleTimeout());
      awaitBackends(0);
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void insertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      assertKilledSession(sh.err("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(count("select count(*) from " + table) <= 1, "never two rows");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table + " where id = 2"),
          "the same Connection works again afterwards");
    }
  }

  @Test
  void preparedInsertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'p')");
      sh.ok("set s1 1 int 1");
      assertEquals("1", sh.ok("pupdate s1"));
      assertEquals(1, kill());
      sh.ok("set s1 1 int 2");
      assertKilledSession(sh.err("pupdate s1"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(count("select count(*) from " + table + " where id = 2") <= 1, "never two rows");
    }
  }

  @Test
  void preparedStatementTakesNewParametersAfterItsConnectionWasReplaced() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'p')");
      sh.ok("prepare s2 c1 select count(*) from " + table);
      sh.ok("set s1 1 int 1");
      assertEquals("1", sh.ok("pupdate s1"));
      assertEquals(1, kill());
      assertEquals("1", sh.ok("pquery s2"), "a read heals the connection");
      sh.ok("set s1 1 int 2");
      assertEquals("1", sh.ok("pupdate s1"), "the app's PreparedStatement works on the fresh connection");
      assertEquals(1, count("select count(*) from " + table + " where id = 2"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void statementCreatedBeforeTheKillButFirstUsedAfterItWorks() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ? * 2");
      sh.ok("set s1 1 int 21");
      sh.ok("query c1 select 1");
      kill();
      sh.ok("query c1 select 1");          // heals the connection (a read, retried)
      assertEquals("42", sh.ok("pquery s1"), "re-created lazily on the fresh connection");
    }
  }

  @Test
  void preparedStatementFromBeforeTheKillIsRecreatedWithItsParameters() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (41, 'p')");
      sh.ok("prepare s1 c1 select v, ? + 1 from " + table + " where id = ?");
      sh.ok("fetchsize s1 7");
      sh.ok("set s1 1 int 41");
      sh.ok("set s1 2 int 41");
      assertEquals("p,42", sh.ok("pquery s1"));
      assertEquals(1, kill());
      assertEquals("p,42", sh.ok("pquery s1"), "re-created on the fresh connection with both parameters");
      assertEquals("7", sh.ok("getfetchsize s1"));
      assertEquals(connectionClass(), sh.ok("classof c1"), "the app keeps the driver's object");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, backends());
    }
  }

  @Test
  void connectionStillUnwrapsToTheDriverTypeAfterAHeal() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select 1");
      sh.ok("pquery s1");
      assertEquals(1, kill());
      assertEquals("1", sh.ok("pquery s1"));
      assertEquals("true", sh.ok("unwrap c1 " + connectionClass()));
      assertEquals(connectionClass(), sh.ok("classof c1"));
    }
  }

  @Test
  void isValidOnAKilledConnectionHealsItWithoutHealingItsOwnProbe() {
    // isValid runs a probe through the driver's own JDBC calls: only the outermost call is guarded,
    // so the probe is never re-executed; the driver's "false" is what makes isValid heal.
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ?");
      sh.ok("set s1 1 int 5");
      assertEquals("true", sh.ok("isvalid c1 2"));
      assertEquals(1, kill());
      assertEquals("true", sh.ok("isvalid c1 2"), "healed within isValid's timeout");
      sh.awaitStderr("isValid() answered false; reconnected", WAIT);
      assertEquals(0, sh.stat("StatementsRetried"), "the probe was not re-executed");
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, backends());
      assertEquals("5", sh.ok("pquery s1"), "the app's statement, re-created on the fresh connection");
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void transactionBrokenAfterWorkSurfacesErrorAndRollbackWorks() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, kill());
      String err = sh.err("update c1 insert into " + table + " values (2, 'b')");
      // The server rolled it back, certainly: 40001 (SurfacedErrors), the driver's error as its cause.
      assertTrue(err.startsWith("40001 0 SQLTransactionRollbackException"), err);
      // The transaction is gone: commit must not pretend.
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")));
      sh.ok("rollback c1");
      assertEquals(0, count("select count(*) from " + table), "no partial commit");
      sh.ok("update c1 insert into " + table + " values (3, 'c')");
      sh.ok("commit c1");
      assertEquals(1, count("select count(*) from " + table + " where id = 3"));
      assertEquals(1, count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  @Test
  void firstStatementOfATransactionIsRetriedEvenIfItWrites() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select 1");
      sh.ok("commit c1");
      assertEquals(1, kill());
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      sh.ok("commit c1");
      assertEquals(1, count("select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals("false", sh.ok("getautocommit c1"));
    }
  }

  @Test
  void batchAsTheFirstStatementOfATransactionIsReplayedWholeOnTheFreshConnection() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("prepare s1 c1 insert into " + table + " values (?, ?)");
      for (int id = 1; id <= 3; id++) {
        sh.ok("set s1 1 int " + id);
        sh.ok("set s1 2 string v" + id);
        sh.ok("addbatch s1");
      }
      assertEquals(1, kill());
      assertEquals("1,1,1", sh.ok("batch s1"));
      sh.ok("commit c1");
      assertEquals(3, count("select count(*) from " + table));
      assertEquals(3, count("select count(distinct id) from " + table + " where v = concat('v', id)"),
          "each row its own values");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void batchInAutocommitIsNotReplayedBecauseItsOutcomeIsUnknown() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'x')");
      sh.ok("set s1 1 int 1");
      sh.ok("addbatch s1");
      sh.ok("set s1 1 int 2");
      sh.ok("addbatch s1");
      assertEquals(1, kill());
      sh.err("batch s1");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertTrue(count("select count(*) from " + table) <= 2, "never duplicated");
    }
  }

  @Test
  void statementHintMarksOneWriteIdempotent() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (7, 'x')");
      assertEquals(1, kill());
      sh.ok("update c1 /* connguard:idempotent */ update " + table + " set v = 'y' where id = 7");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, count("select count(*) from " + table + " where v = 'y'"));
    }
  }

  @Test
  void neverRetryHintIsHonouredEvenForARead() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      kill();
      sh.err("query c1 /* connguard:never-retry */ select 1");
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void selectWithASideEffectIsNotRetried() {
    String sequence = admin.uniqueName("q");
    admin.exec("create sequence " + sequence);
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      kill();
      sh.err("query c1 " + nextValueRead(sequence));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
    } finally {
      admin.exec("drop sequence if exists " + sequence);
    }
  }

  @Test
  void errorsThatAreNotADeadConnectionAreUntouched() {
    admin.exec("create unique index " + table + "_id on " + table + " (id)");
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      runStatementsTheServerRefuses(sh);
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, count("select count(*) from " + table));
    }
  }

  @Test
  void closingTheConnectionLeavesNoBackendBehind() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select 1");
      sh.ok("pquery s1");
      kill();
      sh.ok("pquery s1");
      kill();
      sh.ok("query c1 select 2");
      assertEquals(1, backends());
      sh.ok("close s1");
      sh.ok("close c1");
      awaitBackends(0);
      assertEquals(2, sh.stat("Reconnects"));
    }
  }

  @Test
  void connectionOlderThanMaxAgeIsReplacedQuietlyBetweenStatements() {
    try (Shell sh = connected(child("validateIdleAfter=off,maxAge=1s").start())) {
      String first = sh.ok("query c1 " + sessionIdRead());
      sh.ok("sleep 1300");
      String second = sh.ok("query c1 " + sessionIdRead());
      assertNotEquals(first, second, "a new session serves the app after maxAge");
      assertEquals(1, sh.stat("ConnectionsRecycled"));
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      awaitBackends(1);                    // the old one was closed, not leaked
    }
  }

  @Test
  void maxAgeNeverReplacesAConnectionInsideATransaction() {
    try (Shell sh = connected(child("validateIdleAfter=off,maxAge=500ms").start())) {
      sh.ok("autocommit c1 false");
      String session = sh.ok("query c1 " + sessionIdRead());
      sh.ok("sleep 800");
      assertEquals(session, sh.ok("query c1 " + sessionIdRead()));
      assertEquals(0, sh.stat("ConnectionsRecycled"));
      sh.ok("commit c1");
    }
  }

  @Test
  void connectionFromTheDriversDataSourceIsHealedOnceNotPerLayer() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("datasource c1 " + dataSourceClass() + " " + url());
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("ConnectionsGuarded"), "guarded once although a Driver made it for the DataSource");
    }
  }
}
