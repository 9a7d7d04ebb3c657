package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The harness: a private server starts, keeps committed rows across a clean restart and a crash
 * on the same port, and is really down while stopped; a MariaDB replica follows its primary and
 * takes the app's writes only once promoted.
 */
class PrivateServersTest {

  @Test
  void privatePostgresKeepsCommittedRowsAcrossRestartAndCrash() {
    try (PrivatePostgres pg = PrivatePostgres.start()) {
      int port = pg.port();
      PgAdmin admin = pg.admin();
      admin.exec("create table kept (k int)");
      admin.exec("insert into kept values (1)");

      pg.stop(StopMode.FAST);
      assertThrows(IllegalStateException.class, () -> admin.count("select 1"), "down while stopped");
      pg.begin();
      admin.exec("insert into kept values (2)");

      pg.restart(StopMode.IMMEDIATE);               // a crash: recovery replays the WAL
      assertEquals(port, pg.port());
      assertEquals(2, admin.count("select count(*) from kept"));
      assertEquals(1, admin.count("select count(*) from pg_roles where rolname = 'root'"));
    }
  }

  @Test
  void privateMariaDbKeepsCommittedRowsAcrossRestartAndCrash() {
    try (PrivateMariaDb db = PrivateMariaDb.start()) {
      int port = db.port();
      MariaDbAdmin admin = db.admin();
      admin.exec("create table kept (k int) engine=InnoDB");
      admin.exec("insert into kept values (1)");

      db.stop(StopMode.FAST);
      assertThrows(IllegalStateException.class, () -> admin.count("select 1"), "down while stopped");
      db.begin();
      admin.exec("insert into kept values (2)");

      db.restart(StopMode.IMMEDIATE);               // SIGKILL: InnoDB crash recovery
      assertEquals(port, db.port());
      assertEquals(2, admin.count("select count(*) from kept"));
    }
  }

  @Test
  void privateMariaDbReplicaFollowsItsPrimaryAndTakesWritesOnlyOncePromoted() throws SQLException {
    try (PrivateMariaDb primary = PrivateMariaDb.startPrimary()) {
      primary.admin().exec("create table kept (k int primary key)");
      primary.admin().exec("create user 'app'@'" + MariaDbAdmin.HOST + "'");
      primary.admin().exec("grant all privileges on test.* to 'app'@'" + MariaDbAdmin.HOST + "'");
      try (PrivateMariaDb replica = primary.startReplica()) {
        primary.admin().exec("insert into kept values (1)");
        replica.awaitReplicated(primary, Duration.ofSeconds(30));
        assertEquals(1, replica.admin().count("select count(*) from kept"), "replicated");
        assertTrue(replica.isReadOnly());
        String app = replica.admin().url("app", replica.port());
        assertEquals(1290, writeError(app, "insert into kept values (2)"), "the app user is bound by read_only");

        primary.demote();
        assertTrue(primary.isReadOnly());
        replica.promote();
        assertFalse(replica.isReadOnly());
        assertEquals(0, writeError(app, "insert into kept values (2)"), "the promoted replica takes writes");
        assertEquals("not a replica", replica.admin().replicaStatus());
        assertEquals(1, primary.admin().count("select count(*) from kept"), "nothing flows back");
      }
    }
  }

  /** The vendor code of the error the statement got as the app user, 0 if it ran. */
  private static int writeError(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
      return 0;
    } catch (SQLException e) {
      if (e.getErrorCode() == 0) {
        throw e;
      }
      return e.getErrorCode();
    }
  }
}
