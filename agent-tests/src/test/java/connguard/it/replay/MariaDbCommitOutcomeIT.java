package connguard.it.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * resolveCommitOutcome on MariaDB (Connector/J 3): with resolveCommitOutcomeTable, a token row
 * written inside the transaction tells afterwards whether a COMMIT whose reply was lost was
 * applied. The server's row count is the invariant: never two copies.
 */
class MariaDbCommitOutcomeIT {
  private MariaDbAdmin db;
  private FaultProxy proxy;
  private String user;
  private String ledger;
  private String tokens;

  @BeforeEach
  void setUp() {
    db = Databases.mariadb();
    proxy = FaultProxy.start(MariaDbAdmin.PORT);
    user = db.createUser("co");
    ledger = db.uniqueName("ledger");
    // Not named *commit*: the proxy's markers look for "commit" in the requests.
    tokens = db.uniqueName("tok");
    db.exec("create table " + ledger + " (id int, amount int)");
    db.exec("create table " + tokens + " (slot varchar(64) primary key, token bigint not null) engine=InnoDB");
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (db != null && user != null) {
      try {
        db.dropUser(user);
      } finally {
        db.exec("drop table if exists " + ledger);
        db.exec("drop table if exists " + tokens);
      }
    }
  }

  private Shell inTransaction(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START).start();
    sh.ok("connect c1 jdbc:mariadb://" + MariaDbAdmin.HOST + ":" + proxy.port() + "/test?user=" + user);
    sh.ok("autocommit c1 false");
    sh.ok("prepare ins c1 insert into " + ledger + " values (?, 100)");
    sh.ok("set ins 1 int 1");
    sh.ok("pupdate ins");
    sh.ok("set ins 1 int 2");
    sh.ok("pupdate ins");
    return sh;
  }

  @Test
  void commitWhoseReplyIsLostReturnsNormallyWhenItsTokenIsThere() {
    try (Shell sh = inTransaction("validateIdleAfter=off,resolveCommitOutcome=on,resolveCommitOutcomeTable=" + tokens)) {
      proxy.cutAfterRequest("commit");
      sh.ok("commit c1");
      assertEquals(2, db.count("select count(*) from " + ledger), "committed exactly once");
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
      sh.awaitStderr("committed, so commit() returns normally", Duration.ofSeconds(10));
      assertEquals(1, db.count("select count(*) from " + tokens), "one slot row per connection");
    }
  }

  @Test
  void commitThatNeverReachedTheServerIsReplayedAndCommittedOnce() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true,resolveCommitOutcomeTable=" + tokens)) {
      proxy.cutBeforeRequest("commit");
      sh.ok("commit c1");
      assertEquals(2, db.count("select count(*) from " + ledger), "the replayed transaction, once");
      assertEquals(1, sh.stat("CommitOutcomesResolved"));
      assertEquals(1, sh.stat("TransactionsReplayed"));
    }
  }

  @Test
  void commitThatNeverReachedTheServerWithoutReplayIsReportedRolledBack() {
    try (Shell sh = inTransaction("validateIdleAfter=off,resolveCommitOutcome=on,resolveCommitOutcomeTable=" + tokens)) {
      proxy.cutBeforeRequest("commit");
      String err = sh.err("commit c1");
      assertEquals("40001", Shell.sqlState(err), err);
      assertEquals(0, db.count("select count(*) from " + ledger));
    }
  }

  @Test
  void withoutATokenTableALostCommitReplyStaysUnknownAndIsNeverSentTwice() {
    try (Shell sh = inTransaction("validateIdleAfter=off,transactionReplay=true")) {
      proxy.cutAfterRequest("commit");
      String err = sh.err("commit c1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      assertEquals(2, db.count("select count(*) from " + ledger), "the server committed it, once");
      assertEquals(0, sh.stat("CommitOutcomesResolved"));
      assertEquals(0, db.count("select count(*) from " + tokens));
    }
  }
}
