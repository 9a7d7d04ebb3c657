package connguard.it.metrics;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link AppMetricsSuite} on PostgreSQL, the app's backend killed with pg_terminate_backend from
 * an admin connection. The URL carries a password (ignored by the server's trust
 * authentication) that must appear in no tag, attribute or event.
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
}
