package connguard.it.recovery;

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
 * The hardest case: the request reached the server and ran (in autocommit: committed), but the
 * reply was lost with the connection. The server's row count is the truth; the agent must never
 * make it two.
 */
class PostgresUnknownOutcomeIT {
  private ProxiedLedger fixture;
  private PgAdmin pg;
  private FaultProxy proxy;
  private String ledger;

  @BeforeEach
  void setUp() {
    fixture = new ProxiedLedger("uo", "(id int primary key, amount int)");
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

  private Shell connected(AppJvm jvm) {
    Shell sh = jvm.start();
    sh.ok("connect c1 " + fixture.url());
    sh.ok("query c1 select 1");
    return sh;
  }

  @Test
  void withoutAgentAnInsertWhoseReplyIsLostFailsButWasWritten() {
    try (Shell sh = connected(AppJvm.withoutAgent())) {
      proxy.cutAfterRequest("insert into " + ledger);
      sh.err("update c1 insert into " + ledger + " values (1, 100)");
      assertEquals(1, pg.count("select count(*) from " + ledger), "the server committed it");
    }
  }

  @Test
  void insertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off"))) {
      proxy.cutAfterRequest("insert into " + ledger);
      String err = sh.err("update c1 insert into " + ledger + " values (1, 100)");
      assertTrue(err.startsWith("08"), "the app sees the failure: " + err);
      assertEquals(1, pg.count("select count(*) from " + ledger), "written once, never twice");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      sh.awaitStderr("executeUpdate not re-executed: write outcome unknown", Duration.ofSeconds(10));
      assertEquals("1", sh.ok("query c1 select count(*) from " + ledger), "the connection heals for the next call");
    }
  }

  @Test
  void commitWhoseReplyIsLostIsNotRetriedAndCommittedOnce() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off"))) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + ledger + " values (1, 100)");
      proxy.cutAfterRequest("commit");
      sh.err("commit c1");
      assertEquals(1, pg.count("select count(*) from " + ledger), "the commit happened, once");
      sh.ok("rollback c1");
      sh.ok("update c1 insert into " + ledger + " values (2, 200)");
      sh.ok("commit c1");
      assertEquals(2, pg.count("select count(*) from " + ledger));
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void idempotentWriteWhoseReplyIsLostIsRetriedWithoutADuplicate() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off"))) {
      proxy.cutAfterRequest("insert into " + ledger);
      assertEquals("0", sh.ok("update c1 /* connguard:idempotent */ insert into " + ledger
          + " values (1, 100) on conflict (id) do nothing"), "the re-run finds the row: 0 rows inserted");
      assertEquals(1, pg.count("select count(*) from " + ledger));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void readWhoseReplyIsLostIsRetried() {
    pg.exec("insert into " + ledger + " values (7, 700)");
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off"))) {
      proxy.cutAfterRequest("select amount from " + ledger);
      assertEquals("700", sh.ok("query c1 select amount from " + ledger + " where id = 7"));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }
}
