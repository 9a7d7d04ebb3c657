package connguard.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every connection of an app killed at once (a failover, a restart, an admin clearing the
 * server), then all used again at once from several threads: each heals with exactly one
 * reconnect, nothing is opened beyond one replacement per connection (no thundering herd), and
 * afterwards the server sees exactly the app's connections, no leaked backends.
 *
 * <p>PostgreSQL here runs with max_connections=100, shared with the admin connection and any other
 * test: 50 connections. MariaDB allows 151: 100.
 */
class MassKillIT {
  private static final int PG_CONNECTIONS = 50;
  private static final int MARIADB_CONNECTIONS = 100;
  private static final int THREADS = 8;
  private static final Duration GONE = Duration.ofSeconds(20);

  @Test
  void fiftyPostgresConnectionsKilledAtOnceHealWithOneReconnectEach() {
    PgAdmin pg = Databases.postgres();
    String app = pg.uniqueName("mass");
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("fleet c " + PG_CONNECTIONS + " " + pg.url(app));
      assertEquals(PG_CONNECTIONS, pg.terminate(app));
      pg.awaitBackends(app, 0, GONE);

      String answer = sh.ok("fleetquery c " + PG_CONNECTIONS + " " + THREADS + " select 1");
      System.out.println("MassKillIT postgres: " + answer);

      assertEquals(PG_CONNECTIONS, sh.stat("DeadConnectionsDetected"));
      assertEquals(PG_CONNECTIONS, sh.stat("Reconnects"), "one reconnect per connection, no more");
      assertEquals(PG_CONNECTIONS, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesExhausted"));
      // The agent's own timeout reader uses one short-lived connection of its own; give it time to go.
      pg.awaitBackends(app, PG_CONNECTIONS, GONE);
      assertEquals(PG_CONNECTIONS, pg.backends(app), "exactly the app's connections: none leaked");
    } finally {
      pg.terminate(app);
    }
  }

  @Test
  void aHundredMariaDbConnectionsKilledAtOnceAreValidatedAndReplacedOnceEach() {
    MariaDbAdmin db = Databases.mariadb();
    String user = db.createUser("mass");
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=250ms").start()) {
      sh.ok("fleet c " + MARIADB_CONNECTIONS + " " + db.url(user));
      assertEquals(MARIADB_CONNECTIONS, db.kill(user));
      db.awaitBackends(user, 0, GONE);
      sh.ok("sleep 300");                   // idle past validateIdleAfter: checked before use

      String answer = sh.ok("fleetquery c " + MARIADB_CONNECTIONS + " " + THREADS + " select 1");
      System.out.println("MassKillIT mariadb: " + answer);

      assertEquals(MARIADB_CONNECTIONS, sh.stat("ValidationsFailed"));
      assertEquals(MARIADB_CONNECTIONS, sh.stat("Reconnects"), "one reconnect per connection, no more");
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before use: nothing to re-execute");
      db.awaitBackends(user, MARIADB_CONNECTIONS, GONE);
      assertEquals(MARIADB_CONNECTIONS, db.backends(user), "exactly the app's connections: none leaked");
      assertTrue(answer.startsWith(MARIADB_CONNECTIONS + " ok"), answer);
    } finally {
      db.kill(user);
      db.dropUser(user);
    }
  }
}
