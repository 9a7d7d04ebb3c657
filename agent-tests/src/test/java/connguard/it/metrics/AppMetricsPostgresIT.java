package connguard.it.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import connguard.it.servers.Databases;
import connguard.it.servers.H2Tcp;
import connguard.it.servers.PgAdmin;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AppMetricsSuite} on PostgreSQL, the app's backend killed with pg_terminate_backend from
 * an admin connection. The URL carries a password (ignored by the server's trust
 * authentication) that must appear in no tag, attribute or event. Also an app with two servers,
 * PostgreSQL and H2, whose counts stay apart.
 */
class AppMetricsPostgresIT extends AppMetricsSuite {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("metrics");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Override String connectArgs() {
    return pg.url(app) + "&password=" + secret();
  }

  @Override void killConnection() {
    pg.terminate(app);
  }

  @Override void createTable(String name) {
    pg.exec("create table if not exists " + name + " (id int)");
  }

  @Override String serverTags() {
    return "db.namespace=test,db.system=postgresql,server.address=127.0.0.1,server.port=5432";
  }

  @Override String serverAttributes() {
    return serverTags();
  }

  @Test
  void twoServersAreCountedApartAndTheMBeanHasTheirSum() {
    try (H2Tcp h2 = H2Tcp.start();
        MeteredJvm app = MeteredJvm.start("validateIdleAfter=off", "micrometer,otel", dir)) {
      app.ok("connect " + h2.url("other") + " " + H2Tcp.USER);     // stays open beside the next one
      assertEquals("1", app.ok("query select 1"));
      app.ok("connect " + connectArgs());
      assertEquals("1", app.ok("query select 1"));
      killConnection();
      assertEquals("2", app.ok("query select 2"));

      String h2Tags = "db.namespace=other,db.system=h2,server.address=127.0.0.1,server.port=" + h2.port();
      Map<String, String> meters = MeteredJvm.values(app.await("meters",
          m -> m.contains("connguard.connections.oldest.idle[seconds]{" + h2Tags + "}")
              && m.contains(tagged("connguard.connections.oldest.idle[seconds]")), BIND_TIMEOUT));
      assertEquals("1.0", meters.get(tagged("connguard.statements.retried")), meters.toString());
      assertEquals("0.0", meters.get("connguard.statements.retried{" + h2Tags + "}"), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.reconnects")), meters.toString());
      assertEquals("0.0", meters.get("connguard.reconnects{" + h2Tags + "}"), meters.toString());
      assertEquals("1.0", meters.get(tagged("connguard.connections.guarded")), meters.toString());
      assertEquals("1.0", meters.get("connguard.connections.guarded{" + h2Tags + "}"), meters.toString());
      assertEquals(2 * (COUNTERS.size() + 2), meters.size(), "15 meters of each server: " + meters);

      Map<String, String> otel = MeteredJvm.values(app.ok("otel"));
      assertEquals("1", otel.get(attributed("connguard.statements.retried[{call}]")), otel.toString());
      assertEquals("0", otel.get("connguard.statements.retried[{call}]{" + h2Tags + "}"), otel.toString());

      app.awaitStderr("counters in: JMX connguard:type=Stats", BIND_TIMEOUT);
      assertEquals("1", app.ok("mbean StatementsRetried"), "the MBean: the JVM's total");
      assertEquals("2", app.ok("mbean ConnectionsGuarded"), "one connection to each server");
    }
  }
}
