package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.PgBouncer.PoolMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, and the baseline the agent must improve on: without the agent, a
 * connection through a PgBouncer that was killed and restarted fails its next statement.
 */
class PgBouncerTest {

  @Test
  void consoleSeesTheClientAndARestartBreaksItButTakesNewOnesOnTheSamePort() {
    PgAdmin pg = Databases.postgres();
    String app = pg.uniqueName("pgb_harness");
    try (PgBouncer bouncer = Databases.pgbouncer(PoolMode.SESSION);
        Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + bouncer.url(app));
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals(1, bouncer.clients(), "SHOW CLIENTS on the console sees the child");
      assertEquals(1, pg.backends(app), "PgBouncer passes application_name on to PostgreSQL");

      int port = bouncer.port();
      bouncer.restart();
      assertEquals(port, bouncer.port());
      String err = sh.err("query c1 select 1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));   // its server connection died with it

      sh.ok("connect c2 " + bouncer.url(app));
      assertEquals("2", sh.ok("query c2 select 2"));
      sh.ok("close c2");
      bouncer.awaitClients(0, Duration.ofSeconds(5));
    }
  }

  @Test
  void transactionPoolingTakesPgjdbcWithPrepareThresholdZero() {
    PgAdmin pg = Databases.postgres();
    String app = pg.uniqueName("pgb_harness_tx");
    try (PgBouncer bouncer = Databases.pgbouncer(PoolMode.TRANSACTION);
        Shell sh = AppJvm.withoutAgent().start()) {
      assertTrue(bouncer.url(app).contains("prepareThreshold=0"), bouncer.url(app));
      sh.ok("connect c1 " + bouncer.url(app));
      sh.ok("prepare s1 c1 select ? + 1");
      for (int i = 0; i < 8; i++) {                       // past pgjdbc's default threshold of 5
        sh.ok("set s1 1 int " + i);
        assertEquals(String.valueOf(i + 1), sh.ok("pquery s1"));
      }
      assertEquals("transaction", bouncer.admin("SHOW CONFIG").stream()
          .filter(row -> "pool_mode".equals(row.get("key"))).findFirst().orElseThrow().get("value"));
    }
  }
}
