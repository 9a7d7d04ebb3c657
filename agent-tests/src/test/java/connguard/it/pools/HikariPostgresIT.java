package connguard.it.pools;

import connguard.it.servers.Databases;
import connguard.it.servers.SqlAdmin;

/** {@link HikariIT} over PostgreSQL (pgjdbc). */
class HikariPostgresIT extends HikariIT {
  @Override SqlAdmin database() {
    return Databases.postgres();
  }
}
