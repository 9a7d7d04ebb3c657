package connguard.it.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * transactionReplay=true (issue #7), once per database: a transaction whose connection dies
 * mid-way is replayed on a fresh connection and every result compared; only if all are identical
 * does the app carry on, and its commit writes the transaction exactly once. Otherwise the app
 * gets 40001 "transaction lost and not replayed: ..." and nothing of the transaction is committed.
 * Invariants from the admin connection and the JMX counters. Prepared statements throughout: every
 * driver here guards them.
 */
abstract class TransactionReplayIT {
  static final String REPLAY = "validateIdleAfter=off,transactionReplay=true";

  /** The table, (id int, v varchar(20)), created empty for each test. */
  String table;

  abstract SqlAdmin admin();

  /** Connects c1 in a fresh child with the agent and these options. */
  abstract Shell connected(String agentArgs);

  /** Kills the app's server connections; returns how many. */
  abstract int kill();

  /**
   * The app can read on from a result set of a connection the agent closed (pgjdbc, MariaDB
   * Connector/J keep the fetched rows); MySQL Connector/J closes it with the connection.
   */
  boolean resultSetsOutliveTheirConnection() {
    return true;
  }

  private void insert(Shell sh, int id, String v) {
    sh.ok("set ins 1 int " + id);
    sh.ok("set ins 2 string " + v);
    assertEquals("1", sh.ok("pupdate ins"));
  }

  private String insertFails(Shell sh, int id, String v) {
    sh.ok("set ins 1 int " + id);
    sh.ok("set ins 2 string " + v);
    return sh.err("pupdate ins");
  }

  private Shell inTransaction(String agentArgs) {
    Shell sh = connected(agentArgs);
    sh.ok("autocommit c1 false");
    sh.ok("prepare ins c1 insert into " + table + " values (?, ?)");
    sh.ok("prepare all c1 select id, v from " + table + " order by id");
    return sh;
  }

  @Test
  void transactionWithSavepointsIsReplayedAndTheAppsSavepointsStillWorkAfterwards() {
    try (Shell sh = inTransaction(REPLAY)) {
      insert(sh, 1, "a");
      sh.ok("savepoint c1 s1");
      insert(sh, 2, "b");
      sh.ok("rollbackto c1 s1");                 // 2 is undone
      insert(sh, 3, "c");
      sh.ok("savepoint c1 s2");
      insert(sh, 4, "d");
      assertEquals(1, kill());
      insert(sh, 5, "e");                         // replay: 1, s1, 2, back to s1, 3, s2, 4; then 5
      sh.ok("rollbackto c1 s2");                 // the app's s2 stands for the replay's: 4 and 5 undone
      insert(sh, 6, "f");
      sh.ok("release c1 s1");
      sh.ok("commit c1");
      assertEquals(3, admin().count("select count(*) from " + table), "1, 3 and 6, nothing else");
      assertEquals(3, admin().count("select count(*) from " + table + " where id in (1, 3, 6)"));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(0, sh.stat("ReplaysRefused"));
    }
  }

  @Test
  void killMidTransactionThenFinishCommitsExactlyOnce() {
    try (Shell sh = inTransaction(REPLAY)) {
      insert(sh, 1, "a");
      insert(sh, 2, "b");
      assertEquals(1, kill());
      insert(sh, 3, "c");                  // fails on the dead connection: replay 1 and 2, then run it
      sh.ok("commit c1");
      assertEquals(3, admin().count("select count(*) from " + table), "exactly the transaction's rows");
      assertEquals(1, admin().count("select count(*) from " + table + " where id = 3 and v = 'c'"));
      assertEquals(3, admin().count("select count(distinct id) from " + table), "each once");
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(0, sh.stat("ReplaysRefused"));
      assertEquals(0, sh.stat("TransactionsLost"));
      sh.awaitStderr("transaction of 2 statements replayed on a fresh connection", Duration.ofSeconds(10));
    }
  }

  @Test
  void transactionThatReadUnchangedRowsIsReplayedWithItsDigestsCompared() {
    admin().exec("insert into " + table + " values (10, 'x'), (11, 'y')");
    try (Shell sh = inTransaction(REPLAY)) {
      assertEquals("10,x;11,y", sh.ok("pquery all"));
      insert(sh, 12, "z");
      assertEquals(1, kill());
      insert(sh, 13, "w");
      assertEquals("10,x;11,y;12,z;13,w", sh.ok("pquery all"));
      sh.ok("commit c1");
      assertEquals(4, admin().count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsReplayed"));
    }
  }

  @Test
  void rowChangedByAnotherSessionBetweenOriginalAndReplayIsRefusedAndNothingIsCommitted() {
    admin().exec("insert into " + table + " values (10, 'x'), (11, 'y')");
    try (Shell sh = inTransaction(REPLAY)) {
      assertEquals("10,x;11,y", sh.ok("pquery all"));
      insert(sh, 12, "z");
      assertEquals(1, kill());
      admin().exec("update " + table + " set v = 'changed' where id = 11");
      String err = insertFails(sh, 13, "w");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("transaction lost and not replayed"), err);
      assertTrue(err.contains("changed"), err);
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")), "the transaction is gone: commit must not pretend");
      sh.ok("rollback c1");                // 40001, not 08: a pool keeps the healed connection
      assertEquals(0, admin().count("select count(*) from " + table + " where id >= 12"), "nothing of it committed");
      assertEquals(1, sh.stat("ReplaysRefused"));
      assertEquals(0, sh.stat("TransactionsReplayed"));
      sh.awaitStderr("transaction lost and not replayed", Duration.ofSeconds(10));
      insert(sh, 20, "after");             // the connection works for the next transaction
      sh.ok("commit c1");
      assertEquals(1, admin().count("select count(*) from " + table + " where id = 20"));
    }
  }

  @Test
  void rowAddedByAnotherSessionToWhatTheTransactionReadIsRefused() {
    admin().exec("insert into " + table + " values (10, 'x')");
    try (Shell sh = inTransaction(REPLAY)) {
      assertEquals("10,x", sh.ok("pquery all"));
      insert(sh, 12, "z");
      assertEquals(1, kill());
      admin().exec("insert into " + table + " values (11, 'new')");
      String err = insertFails(sh, 13, "w");
      assertEquals("40001", Shell.sqlState(err), err);
      sh.ok("rollback c1");
      assertEquals(0, admin().count("select count(*) from " + table + " where id >= 12"));
      assertEquals(1, sh.stat("ReplaysRefused"));
    }
  }

  @Test
  void rowsReadAfterTheReplayFromAResultSetOpenedBeforeAreComparedToo() {
    admin().exec("insert into " + table + " values (10, 'x'), (11, 'y'), (12, 'z')");
    try (Shell sh = inTransaction(REPLAY)) {
      sh.ok("openquery r all");
      assertEquals("10,x", sh.ok("next r"));
      insert(sh, 20, "a");
      assertEquals(1, kill());
      insert(sh, 21, "b");                 // replay: one row of r compared so far
      if (!resultSetsOutliveTheirConnection()) {
        readingOnIsAnErrorAndTheReplayedTransactionCommits(sh);
        return;
      }
      assertEquals("11,y", sh.ok("next r"), "read from the first run, compared with the replay's");
      assertEquals("12,z", sh.ok("next r"));
      assertEquals("END", sh.ok("next r"));
      sh.ok("commit c1");
      assertEquals(2, admin().count("select count(*) from " + table + " where id >= 20"));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(0, sh.stat("ReplaysRefused"));
    }
  }

  @Test
  void rowChangedBehindAResultSetTheAppReadsOnAfterTheReplayIsRefused() {
    admin().exec("insert into " + table + " values (10, 'x'), (11, 'y'), (12, 'z')");
    try (Shell sh = inTransaction(REPLAY)) {
      sh.ok("openquery r all");
      assertEquals("10,x", sh.ok("next r"));
      insert(sh, 20, "a");
      assertEquals(1, kill());
      admin().exec("update " + table + " set v = 'changed' where id = 12");
      insert(sh, 21, "b");                 // replay passes: only row 10 was read so far
      if (!resultSetsOutliveTheirConnection()) {
        readingOnIsAnErrorAndTheReplayedTransactionCommits(sh);   // the changed row is never seen
        return;
      }
      assertEquals("11,y", sh.ok("next r"));
      String err = sh.err("next r");       // row 12 of the first run is not what the replay sees
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("after the replay has changed"), err);
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")));
      sh.ok("rollback c1");
      assertEquals(0, admin().count("select count(*) from " + table + " where id >= 20"), "nothing of it committed");
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(1, sh.stat("ReplaysRefused"));
    }
  }

  /**
   * A driver that closes result sets with their dead connection (MySQL Connector/J): the app's
   * open result set fails on its next read, never returns a stale row; the replayed transaction,
   * which depends only on the row the app did read, commits once.
   */
  private void readingOnIsAnErrorAndTheReplayedTransactionCommits(Shell sh) {
    sh.err("next r");
    sh.ok("commit c1");
    assertEquals(2, admin().count("select count(*) from " + table + " where id >= 20"));
    assertEquals(1, sh.stat("TransactionsReplayed"));
    assertEquals(0, sh.stat("ReplaysRefused"));
  }

  @Test
  void transactionPastTransactionReplayMaxStatementsIsRefusedAndCounted() {
    try (Shell sh = inTransaction(REPLAY + ",transactionReplayMaxStatements=2")) {
      insert(sh, 1, "a");
      insert(sh, 2, "b");
      insert(sh, 3, "c");
      assertEquals(1, kill());
      String err = insertFails(sh, 4, "d");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("transactionReplayMaxStatements"), err);
      sh.ok("rollback c1");
      assertEquals(0, admin().count("select count(*) from " + table));
      assertEquals(1, sh.stat("ReplaysRefused"));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  @Test
  void withoutTransactionReplayTheTransactionIsLostAsBefore() {
    try (Shell sh = inTransaction("validateIdleAfter=off")) {
      insert(sh, 1, "a");
      assertEquals(1, kill());
      String err = insertFails(sh, 2, "b");
      // The server rolled it back, certainly: 40001, which a pool keeps the connection on (an 08
      // or 57P01 would make it evict it, and the app's rollback() would meet a closed proxy).
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("SQLTransactionRollbackException"), err);
      sh.ok("rollback c1");
      assertEquals(0, admin().count("select count(*) from " + table));
      insert(sh, 3, "c");
      sh.ok("commit c1");
      assertEquals(1, admin().count("select count(*) from " + table));
      assertEquals(0, sh.stat("TransactionsReplayed"));
      assertEquals(0, sh.stat("ReplaysRefused"));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }
}
