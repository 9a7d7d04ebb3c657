package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MySqlFamilyRecoveryIT} with MySQL Connector/J 9 against MariaDB. */
class MySqlConnectorRecoveryIT extends MySqlFamilyRecoveryIT {
  /**
   * unwrap and isWrapperFor are left unwoven (identity) and so run on the app's own
   * ConnectionImpl, which the agent closed when it found it dead; Connector/J's isWrapperFor
   * checks for a closed connection first and throws 08003.
   */

  /**
   * Parameter setters go to the app's original ClientPreparedStatement until its next execute
   * re-creates it on the fresh connection; Connector/J closed that statement with its connection,
   * so setInt throws S1009 "No operations allowed after statement closed".
   */

  @Override
  String url(String user) {
    return db.mysqlUrl(user);
  }

  @Override
  String connectionClass() {
    return "com.mysql.cj.jdbc.ConnectionImpl";
  }

  /**
   * Connector/J's own autoReconnect beside the agent (DRIVER-FEATURES.md). The agent closes a
   * connection it found dead and replaces it, so the driver's reconnect never comes into play.
   */
  @Test
  void driverAutoReconnectWithTheAgentNeverWritesTwiceAndReadsGoOn() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + db.mysqlUrl(user) + "&autoReconnect=true");
      assertEquals(connectionClass(), sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, db.kill(user));
      String err = sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      long rows = db.count("select count(*) from " + table + " where id = 1");
      assertTrue(rows <= 1, "never two rows");
      assertEquals(String.valueOf(rows), sh.ok("query c1 select count(*) from " + table),
          "the same Connection reads again");
      assertEquals(1, sh.stat("RetriesRefused"), "the agent refused the write");
      assertEquals(1, db.kill(user));
      assertEquals(String.valueOf(rows), sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"), "the agent re-executed the read");
      assertEquals(2, sh.stat("Reconnects"), "the agent made both replacements");
      sh.awaitStderr("re-executed executeQuery", Duration.ofSeconds(10));
    }
  }


}
