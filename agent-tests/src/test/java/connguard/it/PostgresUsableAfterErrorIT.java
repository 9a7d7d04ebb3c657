package connguard.it;

import java.time.Duration;

/** {@link UsableAfterErrorIT} on PostgreSQL (pgjdbc): pg_terminate_backend, sessions by application_name. */
class PostgresUsableAfterErrorIT extends UsableAfterErrorIT {
  private PgAdmin pg;

  @Override void openDatabase() {
    pg = Databases.postgres();
    app = pg.uniqueName("cg");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int, v text)");
  }

  @Override void closeDatabase() {
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  @Override String url(int port) {
    return pg.url(app, port);
  }

  @Override int serverPort() {
    return PgAdmin.PORT;
  }

  @Override int kill() {
    return pg.terminate(app);
  }

  @Override int backends() {
    return pg.backends(app);
  }

  @Override void awaitBackends(int expected) {
    pg.awaitBackends(app, expected, Duration.ofSeconds(10));
  }

  @Override void awaitRunning() {
    pg.awaitActiveQuery(app, Duration.ofSeconds(10));
  }

  @Override long count(String sql) {
    return pg.count(sql);
  }

  @Override String slowInsert(int id, int seconds) {
    return "insert into " + table + " select " + id + ", 'slow' from pg_sleep(" + seconds + ")";
  }

  @Override String longRead() {
    return "select count(*) from generate_series(1, 400000000)";
  }

  @Override String isolationRead() {
    return "show transaction_isolation";
  }

  @Override String serializable() {
    return "serializable";
  }

  @Override String pinningSql() {
    return "create temporary table scratch (x int)";
  }
}
