package connguard.it.metrics;

import connguard.it.servers.H2Tcp;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link AppMetricsSuite} on H2 over TCP, its server killed hard and restarted; needs no database installed. */
class AppMetricsH2IT extends AppMetricsSuite {
  private H2Tcp h2;

  @BeforeEach
  void startServer() throws SQLException {
    h2 = H2Tcp.start();
    try (Connection admin = h2.admin("db1"); Statement s = admin.createStatement()) {
      s.execute("SET WRITE_DELAY 0");       // tables survive the hard kill
    }
  }

  @AfterEach
  void stopServer() {
    if (h2 != null) {
      h2.close();
    }
  }

  @Override String connectArgs() {
    return h2.url("db1") + " " + H2Tcp.USER;
  }

  @Override void killConnection() {
    h2.restart();
  }

  @Override void createTable(String name) {
    try (Connection admin = h2.admin("db1"); Statement s = admin.createStatement()) {
      s.execute("create table " + name + " (id int)");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Override String serverTags() {
    return "db.namespace=db1,db.system=h2,server.address=127.0.0.1,server.port=" + h2.port();
  }

  @Override String serverAttributes() {
    return "db.namespace=db1,db.system=h2,server.address=127.0.0.1,server.port=" + h2.port();
  }
}
