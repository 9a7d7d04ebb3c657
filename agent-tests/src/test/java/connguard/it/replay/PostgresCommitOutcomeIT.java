package connguard.it.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.faults.ProxiedLedger;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * resolveCommitOutcome on PostgreSQL: a COMMIT whose reply is lost is never sent again; the agent
 * asks the server (txid_status of the id noted before COMMIT) and tells the app the truth. The
 * server's row count is the invariant: never two copies.
 */
class PostgresCommitOutcomeIT {
  private ProxiedLedger fixture;
  private PgAdmin pg;
  private FaultProxy proxy;
  private String ledger;

  @BeforeEach
  void setUp() {
    fixture = new ProxiedLedger("co", "(id int, amount int)");
    pg = fixture.pg;
    proxy = fixture.proxy;
    ledger = fixture.ledger;
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private Shell inTransaction(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).start();
    sh.ok("connect c1 " + fixture.url());
    sh.ok("autocommit c1 false");
    sh.ok("update c1 insert into " + ledger + " values (1, 100)");
    sh.ok("update c1 insert into " + ledger + " values (2, 200)");
    return sh;
  }

  @Test
  void commitWhoseReplyIsLostReturnsNormallyWhenTheServerCommittedIt() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true")) {
      proxy.cutAfterRequest("commit");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + ledger), "committed exactly once");
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
      assertEquals(0, sh.stat("StatementsRetried"), "COMMIT is never sent twice");
      sh.awaitStderr("committed, so commit() returns normally", Duration.ofSeconds(10));
      sh.ok("update c1 insert into " + ledger + " values (3, 300)");
      sh.ok("commit c1");
      assertEquals(3, pg.count("select count(*) from " + ledger));
    }
  }

  @Test
  void resolveCommitOutcomeWorksWithoutTransactionReplay() {
    try (Shell sh = inTransaction("validateIdleAfter=off,resolveCommitOutcome=on")) {
      proxy.cutAfterRequest("commit");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + ledger));
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
    }
  }

  @Test
  void withResolveCommitOutcomeOffTheAppGetsTheErrorAndNeverTwoCopies() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true,resolveCommitOutcome=off")) {
      proxy.cutAfterRequest("commit");
      String err = sh.err("commit c1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      sh.ok("rollback c1");
      assertEquals(2, pg.count("select count(*) from " + ledger), "the server committed it, once");
      assertEquals(0, sh.stat("CommitOutcomesResolved"));
    }
  }

  @Test
  void commitThatNeverReachedTheServerIsReplayedAndCommittedOnce() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true")) {
      proxy.cutBeforeRequest("commit");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + ledger), "the replayed transaction, once");
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
      assertEquals(1, sh.stat("TransactionsReplayed"));
      sh.awaitStderr("replayed and committed it", Duration.ofSeconds(10));
    }
  }

  @Test
  void commitThatNeverReachedTheServerWithoutReplayIsReportedRolledBack() {
    try (Shell sh = inTransaction("validateIdleAfter=off,resolveCommitOutcome=on")) {
      proxy.cutBeforeRequest("commit");
      String err = sh.err("commit c1");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("rolled back"), err);
      assertEquals(0, pg.count("select count(*) from " + ledger));
      sh.ok("update c1 insert into " + ledger + " values (3, 300)");
      sh.ok("commit c1");
      assertEquals(1, pg.count("select count(*) from " + ledger));
    }
  }

  @Test
  void commitAfterAReplayIsResolvedToo() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true")) {
      assertEquals(1, pg.terminate(fixture.app));
      sh.ok("update c1 insert into " + ledger + " values (3, 300)");   // replays 1 and 2 on a fresh connection
      proxy.cutAfterRequest("commit");
      sh.ok("commit c1");
      assertEquals(3, pg.count("select count(*) from " + ledger), "committed exactly once");
      assertEquals(1, sh.stat("TransactionsReplayed"));
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
    }
  }

  @Test
  void commitThatNeverReachedTheServerAndCannotBeReplayedSaysWhy() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,transactionReplay=true,transactionReplayMaxStatements=1")
        .start()) {
      sh.ok("connect c1 " + fixture.url());
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + ledger + " values (1, 100)");
      sh.ok("update c1 insert into " + ledger + " values (2, 200)");   // past the bound: not replayable
      proxy.cutBeforeRequest("commit");
      String err = sh.err("commit c1");
      assertEquals("40001", Shell.sqlState(err), err);
      assertTrue(err.contains("rolled back") && err.contains("transactionReplayMaxStatements"), err);
      assertEquals(0, pg.count("select count(*) from " + ledger));
      assertEquals(1, sh.stat("ReplaysRefused"));
    }
  }
}
