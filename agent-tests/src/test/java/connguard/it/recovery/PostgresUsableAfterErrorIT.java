package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import connguard.it.servers.SqlAdmin;

/** {@link UsableAfterErrorIT} on PostgreSQL (pgjdbc): pg_terminate_backend, sessions by application_name. */
class PostgresUsableAfterErrorIT extends UsableAfterErrorIT {
  @Override SqlAdmin database() {
    return Databases.postgres();
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
