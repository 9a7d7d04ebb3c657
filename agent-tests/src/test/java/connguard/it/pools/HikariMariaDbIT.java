package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link HikariIT} over MariaDB with MariaDB Connector/J; plus a pool made with dataSourceClassName. */
class HikariMariaDbIT extends HikariIT {
  @Override SqlAdmin database() {
    return Databases.mariadb();
  }

  @Test
  void hikariConfiguredWithDataSourceClassNameIsHealedBelowThePool() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikarids p1 org.mariadb.jdbc.MariaDbDataSource " + url());
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      assertEquals(1, admin.killSessions(app));
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"), "once, below the pool");
      sh.ok("close c1");
      sh.ok("close p1");
      admin.awaitBackends(app, 0, Duration.ofSeconds(15));
    }
  }
}
