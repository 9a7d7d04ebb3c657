package connguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The harness itself: each fault of the proxy breaks a real PostgreSQL connection. */
class FaultProxyTest {
  private static final Duration FAULT_BOUND = Duration.ofSeconds(10);
  private PgAdmin pg;

  @BeforeEach
  void postgres() {
    pg = Databases.postgres();
  }

  @Test
  void cutAllFailsTheNextQueryAndNewConnectionsStillWork() {
    String app = pg.uniqueName("proxy_cut");
    try (FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
        Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals(1, proxy.connections());

      proxy.cutAll();
      assertEquals(0, proxy.connections());
      assertDead(sh.err("query c1 select 1"));
      pg.awaitBackends(app, 0, Duration.ofSeconds(5));

      sh.ok("connect c2 " + pg.url(app, proxy.port()));
      assertEquals("2", sh.ok("query c2 select 2"));
    }
  }

  @Test
  void refuseFailsNewConnectionsUntilTurnedOff() {
    String app = pg.uniqueName("proxy_refuse");
    try (FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
        Shell sh = AppJvm.withoutAgent().start()) {
      proxy.refuse(true);
      assertDead(sh.err("connect c1 " + pg.url(app, proxy.port()), FAULT_BOUND));
      assertEquals(0, pg.backends(app));

      proxy.refuse(false);
      sh.ok("connect c2 " + pg.url(app, proxy.port()));
      assertEquals("1", sh.ok("query c2 select 1"));
    }
  }

  @Test
  void blackholeStallsQueriesAndConnectsUntilTheSocketTimeout() {
    String app = pg.uniqueName("proxy_blackhole");
    String url = pg.url(app, PgAdmin.PORT).replace(":" + PgAdmin.PORT + "/", ":%d/")
        + "&socketTimeout=2";
    try (FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
        Shell sh = AppJvm.withoutAgent().start()) {
      String viaProxy = String.format(url, proxy.port());
      sh.ok("connect c1 " + viaProxy);
      assertEquals("1", sh.ok("query c1 select 1"));

      proxy.blackhole(true);
      long start = System.nanoTime();
      assertDead(sh.err("query c1 select 1", FAULT_BOUND));
      assertDead(sh.err("connect c2 " + viaProxy, FAULT_BOUND));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(3)) > 0, "both waited for the timeout: " + took);
      // At least c1 and c2's attempt; pgjdbc may retry the attempt (sslmode=prefer).
      assertTrue(proxy.connections() >= 2, "blackhole closes nothing: " + proxy.connections());

      proxy.blackhole(false);
      sh.ok("connect c3 " + viaProxy);
      assertEquals("3", sh.ok("query c3 select 3"));
    }
  }

  /** What a PostgreSQL client sees when the network fails: SQLState class 08. */
  private static void assertDead(String err) {
    assertTrue(Shell.sqlState(err).startsWith("08"), err);
  }
}
