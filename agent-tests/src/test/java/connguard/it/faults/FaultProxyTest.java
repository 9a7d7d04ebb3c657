package connguard.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
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

  @Test
  void cutOneAfterBytesBreaksOnlyTheFirstConnectionToSendThatWay() {
    String app = pg.uniqueName("proxy_bytes");
    try (FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
        Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      sh.ok("connect c2 " + pg.url(app, proxy.port()));
      sh.ok("connect c3 " + pg.url(app, proxy.port()));
      assertEquals(3, proxy.connections());

      // A reply cut after 10 bytes: c1 gets half a message, then a reset.
      proxy.cutOneAfterBytes(FaultProxy.Direction.TO_CLIENT, 10);
      assertTrue(proxy.byteCutPending());
      assertDead(sh.err("query c1 select repeat('x', 1000)"));
      assertFalse(proxy.byteCutPending());
      assertEquals(2, proxy.connections(), "only c1 was cut");
      assertEquals("2", sh.ok("query c2 select 2"));

      // A request cut after 5 bytes: the server never sees a whole query from c2.
      proxy.cutOneAfterBytes(FaultProxy.Direction.TO_SERVER, 5);
      assertDead(sh.err("query c2 select 1"));
      assertEquals("3", sh.ok("query c3 select 3"));
      assertEquals(1, proxy.connections(), "only c1 and c2 were cut");
      pg.awaitBackends(app, 1, Duration.ofSeconds(5));
    }
  }

  @Test
  void latencyDelaysEveryRoundTripWhileOn() {
    String app = pg.uniqueName("proxy_latency");
    try (FaultProxy proxy = FaultProxy.start(PgAdmin.PORT);
        Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      assertEquals("1", sh.ok("query c1 select 1"));

      // A query is one chunk up and at least one chunk down: two delays.
      proxy.latency(500);
      Duration slow = timed(() -> assertEquals("1", sh.ok("query c1 select 1")));
      assertTrue(slow.toMillis() >= 1000, "two delayed chunks: " + slow);

      proxy.latency(0);
      Duration fast = timed(() -> assertEquals("1", sh.ok("query c1 select 1")));
      assertTrue(fast.toMillis() < 1000, "latency off: " + fast);
    }
  }

  private static Duration timed(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** What a PostgreSQL client sees when the network fails: SQLState class 08. */
  private static void assertDead(String err) {
    assertTrue(Shell.sqlState(err).startsWith("08"), err);
  }
}
