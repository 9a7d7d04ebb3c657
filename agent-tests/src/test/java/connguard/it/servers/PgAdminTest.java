package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, and the baseline the agent must improve on: without the agent, a
 * terminated backend fails the app's next statement.
 */
class PgAdminTest {
  private PgAdmin pg;

  @BeforeEach
  void postgres() {
    pg = Databases.postgres();
  }

  @Test
  void terminatedBackendFailsTheNextQueryWithoutAgent() {
    String app = pg.uniqueName("pgadmin_terminate");
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + pg.url(app));
      assertEquals("1", sh.ok("query c1 select 1"));
      pg.awaitBackends(app, 1, Duration.ofSeconds(5));

      assertEquals(1, pg.terminate(app));
      String err = sh.err("query c1 select 1");
      String state = Shell.sqlState(err);
      assertTrue(state.equals("57P01") || state.startsWith("08"), err);
      pg.awaitBackends(app, 0, Duration.ofSeconds(5));
    }
  }

  @Test
  void backendsFollowTheChildsConnections() {
    String app = pg.uniqueName("pgadmin_backends");
    String table = pg.uniqueName("pgadmin_rows");
    pg.exec("create table " + table + " (id int)");
    try {
      try (Shell sh = AppJvm.withoutAgent().start()) {
        sh.ok("connect c1 " + pg.url(app));
        sh.ok("connect c2 " + pg.url(app));
        pg.awaitBackends(app, 2, Duration.ofSeconds(5));
        assertEquals("1", sh.ok("update c1 insert into " + table + " values (1)"));
        assertEquals(1, pg.count("select count(*) from " + table), "admin sees the insert");
        sh.ok("close c2");
        pg.awaitBackends(app, 1, Duration.ofSeconds(5));
      }
      pg.awaitBackends(app, 0, Duration.ofSeconds(5));
      assertEquals(0, pg.terminate(app), "nothing left to terminate");
    } finally {
      pg.exec("drop table if exists " + table);
    }
  }
}
