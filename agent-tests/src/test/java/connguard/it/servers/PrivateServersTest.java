package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The harness: a private server starts, keeps committed rows across a clean restart and a crash
 * on the same port, and is really down while stopped.
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
}
