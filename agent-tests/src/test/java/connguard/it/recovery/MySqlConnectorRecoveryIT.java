package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import java.time.Duration;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryIT} on MariaDB with MySQL Connector/J 9; plus the driver's own autoReconnect
 * beside the agent (DRIVER-FEATURES.md).
 */
class MySqlConnectorRecoveryIT extends MySqlFamilyRecoveryIT {
  @Override String url() {
    return Databases.mariadb().mysqlUrl(app);
  }

  @Override String connectionClass() {
    return "com.mysql.cj.jdbc.ConnectionImpl";
  }

  @Override String dataSourceClass() {
    return "com.mysql.cj.jdbc.MysqlDataSource";
  }

  /**
   * Fails on Connector/J: a batch on a killed connection ends in "S1009 No operations allowed after
   * statement closed", without the agent too. executeBatch calls its own clearBatch in a finally
   * block, on the statement it closed with the dead connection, and that error replaces the
   * communications failure: the agent is never shown a dead connection. Passes on pgjdbc and
   * MariaDB Connector/J.
   */
  @Disabled("not healed on MySQL Connector/J: its own clearBatch hides the dead connection behind S1009")
  @Test
  @Override
  void batchAsTheFirstStatementOfATransactionIsReplayedWholeOnTheFreshConnection() {
  }

  /**
   * Connector/J's own autoReconnect beside the agent (DRIVER-FEATURES.md). The agent closes a
   * connection it found dead and replaces it, so the driver's reconnect never comes into play.
   */
  @Test
  void driverAutoReconnectWithTheAgentNeverWritesTwiceAndReadsGoOn() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url() + "&autoReconnect=true");
      assertEquals(connectionClass(), sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      String err = sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      long rows = count("select count(*) from " + table + " where id = 1");
      assertTrue(rows <= 1, "never two rows");
      assertEquals(String.valueOf(rows), sh.ok("query c1 select count(*) from " + table),
          "the same Connection reads again");
      assertEquals(1, sh.stat("RetriesRefused"), "the agent refused the write");
      assertEquals(1, kill());
      assertEquals(String.valueOf(rows), sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"), "the agent re-executed the read");
      assertEquals(2, sh.stat("Reconnects"), "the agent made both replacements");
      sh.awaitStderr("re-executed executeQuery", Duration.ofSeconds(10));
    }
  }
}
