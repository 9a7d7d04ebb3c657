package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's own lifecycle keeps working under the agent: HikariCP retires a connection at
 * maxLifetime (30 s is its floor, hence one slow test) and the agent neither fights nor leaks it.
 */
class HikariLifetimeIT {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("life");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void hikariRetiresAConnectionAtMaxLifetimeAndTheAgentLeavesNoBackend() {
    try (Shell sh = AppJvm.withAgent("").start()) {
      sh.ok("hikari p1 " + pg.url(app) + " 1 30000");
      sh.ok("borrow c1 p1");
      String firstPid = sh.ok("query c1 select pg_backend_pid()");
      sh.ok("close c1");
      sh.ok("sleep 32000", Duration.ofSeconds(45));
      sh.ok("borrow c2 p1");
      String secondPid = sh.ok("query c2 select pg_backend_pid()");
      assertNotEquals(firstPid, secondPid, "HikariCP replaced the connection at maxLifetime");
      assertEquals(0, sh.stat("DeadConnectionsDetected"), "a retired connection is not a dead one");
      assertEquals(2, sh.stat("ConnectionsGuarded"));
      assertEquals(1, sh.stat("OpenConnections"), "the retired one was closed through the agent");
      pg.awaitBackends(app, 1, Duration.ofSeconds(10));
    }
  }
}
