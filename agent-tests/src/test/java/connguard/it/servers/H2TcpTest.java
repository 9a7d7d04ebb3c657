package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The harness itself: a killed H2 server breaks connections, a restarted one takes new ones. */
class H2TcpTest {

  @Test
  void killBreaksConnectionsAndRestartAcceptsNewOnes() throws Exception {
    try (H2Tcp h2 = H2Tcp.start(); Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + h2.url("db1") + " " + H2Tcp.USER);
      sh.ok("update c1 create table t(id int)");
      sh.ok("update c1 insert into t values (1)");
      assertEquals(1, countRows(h2), "admin sees the child's row");
      sh.ok("execute c1 checkpoint");  // on disk now, not only after H2's write delay

      h2.kill();
      assertTrue(!h2.isRunning());
      assertBroken(sh.err("query c1 select 1"));
      assertBroken(sh.err("connect c2 " + h2.url("db1") + " " + H2Tcp.USER));

      int port = h2.port();
      h2.restart();
      assertEquals(port, h2.port());
      sh.ok("connect c3 " + h2.url("db1") + " " + H2Tcp.USER);
      assertEquals("1", sh.ok("query c3 select 1"));
      assertEquals(1, countRows(h2), "same files: the row written before the kill is back");
    }
  }

  private static long countRows(H2Tcp h2) throws Exception {
    try (Connection c = h2.admin("db1"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from t")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** H2 reports a dead server as 90067 (connection broken); other paths say class 08. */
  private static void assertBroken(String err) {
    String state = Shell.sqlState(err);
    assertTrue(state.equals("90067") || state.startsWith("08"), err);
  }
}
