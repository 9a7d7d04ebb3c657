package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: a user per test tags the child's connections, KILL finds exactly them, and
 * without the agent a killed connection fails the app's next statement.
 */
class MariaDbAdminTest {
  private MariaDbAdmin db;
  private String user;

  @BeforeEach
  void setUp() {
    db = Databases.mariadb();
    user = db.createUser("adm");
  }

  @AfterEach
  void tearDown() {
    if (db != null && user != null) {
      db.dropUser(user);
      assertEquals(0, db.count("select count(*) from mysql.user where user = '" + user + "'"));
    }
  }

  @Test
  void killedConnectionFailsTheNextQueryWithoutAgent() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + db.url(user));
      assertEquals("1", sh.ok("query c1 select 1"));
      db.awaitBackends(user, 1, Duration.ofSeconds(5));

      assertEquals(1, db.kill(user));
      assertEquals(0, db.backends(user), "kill waits until the connection is gone");
      String err = sh.err("query c1 select 1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
    }
  }

  @Test
  void backendsFollowTheChildsConnectionsOfBothDrivers() {
    String table = db.uniqueName("rows");
    db.exec("create table " + table + " (id int)");
    try {
      try (Shell sh = AppJvm.withoutAgent().start()) {
        sh.ok("connect c1 " + db.url(user));
        sh.ok("connect c2 " + db.mysqlUrl(user));
        db.awaitBackends(user, 2, Duration.ofSeconds(5));
        assertEquals("1", sh.ok("update c2 insert into " + table + " values (1)"));
        assertEquals(1, db.count("select count(*) from " + table), "admin sees the insert");
        sh.ok("close c2");
        db.awaitBackends(user, 1, Duration.ofSeconds(5));
      }
      db.awaitBackends(user, 0, Duration.ofSeconds(5));
      assertEquals(0, db.kill(user), "nothing left to kill");
    } finally {
      db.exec("drop table if exists " + table);
    }
  }
}
