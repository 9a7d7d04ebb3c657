package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;

/** {@link UsableAfterErrorIT} on PostgreSQL (pgjdbc): pg_terminate_backend, sessions by application_name. */
class PostgresUsableAfterErrorIT extends UsableAfterErrorIT {
  @Override void openDatabase() {
    admin = Databases.postgres();
    app = admin.uniqueName("cg");
    table = admin.uniqueName("t");
    admin.exec("create table " + table + " (id int, v text)");
  }

  @Override void closeDatabase() {
    if (admin != null) {
      admin.killSessions(app);
      admin.exec("drop table if exists " + table);
    }
  }

  @Override int serverPort() {
    return PgAdmin.PORT;
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
