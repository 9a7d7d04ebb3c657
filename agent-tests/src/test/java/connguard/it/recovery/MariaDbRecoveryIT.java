package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import connguard.it.servers.MariaDbAdmin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryIT} on MariaDB with MariaDB Connector/J 3; plus the driver's own transactionReplay
 * beside the agent (DRIVER-FEATURES.md) and interactive_timeout.
 */
class MariaDbRecoveryIT extends MySqlFamilyRecoveryIT {
  @Override String connectionClass() {
    return "org.mariadb.jdbc.Connection";
  }

  @Override String dataSourceClass() {
    return "org.mariadb.jdbc.MariaDbDataSource";
  }

  /**
   * The driver's transactionReplay takes effect only in a failover mode (here sequential, one
   * host): the driver then reconnects by itself (DRIVER-FEATURES.md).
   */
  private String replayUrl() {
    return "jdbc:mariadb:sequential://" + MariaDbAdmin.HOST + ":" + MariaDbAdmin.PORT + "/test?user="
        + app + "&transactionReplay=true";
  }

  /**
   * Connects c1 to {@code url}, prepares an insert of row 1 (s1) and a count (s2), reads the count,
   * kills the session, then runs the insert: its error line.
   */
  private String insertAfterKill(Shell sh, String url) {
    sh.ok("connect c1 " + url);
    sh.ok("prepare s1 c1 insert into " + table + " values (?, 'r')");
    sh.ok("prepare s2 c1 select count(*) from " + table);
    sh.ok("set s1 1 int 1");
    assertEquals("0", sh.ok("pquery s2"));
    assertEquals(1, kill());
    return sh.err("pupdate s1");
  }

  @Test
  void driverTransactionReplayWithTheAgentNeverWritesTwiceAndReadsGoOn() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      String err = insertAfterKill(sh, replayUrl());
      // The driver reconnected by itself and says so with a transient 25S03, not a dead-connection
      // error: the agent has nothing to heal.
      assertTrue(err.startsWith("25S03 "), err);
      long rows = count("select count(*) from " + table + " where id = 1");
      assertTrue(rows <= 1, "never two rows");
      assertEquals(String.valueOf(rows), sh.ok("pquery s2"), "the same Connection reads again");
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("Reconnects"));
    }
  }

  @Test
  void driverTransactionReplayOnAPlainUrlLeavesTheHealingToTheAgent() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      String err = insertAfterKill(sh, url() + "&transactionReplay=true");
      assertTrue(Shell.sqlState(err).startsWith("08"), "no driver reconnect without a failover mode: " + err);
      long rows = count("select count(*) from " + table + " where id = 1");
      assertTrue(rows <= 1, "never two rows");
      assertEquals(1, sh.stat("RetriesRefused"), "the agent refused the write");
      assertEquals(String.valueOf(rows), sh.ok("pquery s2"), "the same Connection reads again");
      assertEquals(1, sh.stat("Reconnects"), "the agent made the replacement");
    }
  }

  @Test
  void driverTransactionReplayReplaysALostTransactionOnceAndTheAgentStaysOut() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + replayUrl());
      sh.ok("autocommit c1 false");
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'r')");
      sh.ok("set s1 1 int 1");
      assertEquals("1", sh.ok("pupdate s1"));
      assertEquals(1, kill());
      sh.ok("set s1 1 int 2");
      assertEquals("1", sh.ok("pupdate s1"), "the driver replayed the first insert, then ran this one");
      sh.ok("commit c1");
      assertEquals(1, count("select count(*) from " + table + " where id = 1"), "replayed once");
      assertEquals(1, count("select count(*) from " + table + " where id = 2"));
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("TransactionsLost"));
    }
  }

  /** interactive_timeout closes idle sessions of interactive clients (wait_timeout is set from it at login). */
  @Test
  void interactiveClientClosedByInteractiveTimeoutIsHealed() {
    long original = count("select @@global.interactive_timeout");
    admin.exec("SET GLOBAL interactive_timeout = 2");
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url() + "&interactiveClient=true");
      assertEquals("2", sh.ok("query c1 select @@session.wait_timeout"), "an interactive session");
      admin.awaitBackends(app, 0, Duration.ofSeconds(15));   // the server closed it
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
    } finally {
      admin.exec("SET GLOBAL interactive_timeout = " + original);
    }
  }
}
