package connguard.it.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drivers and wrappers as found in the wild (see drivers.TestDrivers): the app must
 * run as without the agent, and where a physical connection is underneath, it is healed once.
 */
class HostileDriversIT {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("hd");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void wrappingDriverIsPassedThroughAndTheConnectionUnderneathIsHealedOnce() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 jdbc:wrap:" + pg.url(app));
      assertEquals("connguard.it.loading.drivers.DelegatingConnection", sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("ConnectionsGuarded"), "the physical connection only, not the wrapper too");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void driverWhoseIsValidThrowsRunsAsWithoutTheAgent() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=100ms").start()) {
      sh.ok("connect c1 jdbc:badvalid:jdbc:h2:mem:badvalid");
      sh.ok("query c1 select 1");
      sh.ok("sleep 300");                   // idle: the agent validates the wrapper, which throws
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("ConnectionsGuarded"), "the wrapper is the guarded connection here");
      assertEquals(0, sh.stat("ValidationsFailed"));
      assertFalse(sh.stderr().contains("Exception"), sh.stderr());
    }
  }

  @Test
  void dynamicProxyConnectionRunsAsWithoutTheAgent() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 jdbc:proxy:" + pg.url(app));
      sh.ok("prepare s1 c1 select ? + 1");
      sh.ok("set s1 1 int 1");
      assertEquals("2", sh.ok("pquery s1"));
      assertEquals(1, pg.terminate(app));
      assertEquals("2", sh.ok("pquery s1"), "the driver statement underneath is guarded and healed");
      assertFalse(sh.stderr().contains("Exception"), sh.stderr());
    }
  }

  @Test
  void aConnectionClassTheAgentCannotWeaveRunsAsWithoutItAndIsReportedOnce() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("generated c1 jdbc:h2:mem:generated");
      assertEquals("connguard.it.loading.drivers.ForeignConnectioZ", sh.ok("classof c1"));
      assertEquals("1", sh.ok("query c1 select 1"));
      sh.ok("generated c2 jdbc:h2:mem:generated");
      assertEquals("2", sh.ok("query c2 select 2"));
      String stderr = sh.awaitStderr("could not instrument connguard.it.loading.drivers.ForeignConnectioZ", Duration.ofSeconds(10));
      assertEquals(1, stderr.split("could not instrument connguard.it.loading.drivers.ForeignConnectioZ", -1).length - 1,
          "one WARN for the class: " + stderr);
    }
  }
}
