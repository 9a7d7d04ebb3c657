package connguard.it.pools;

import connguard.it.servers.Databases;
import connguard.it.servers.SqlAdmin;

/** {@link HikariIT} over MariaDB with MySQL Connector/J. */
class HikariMySqlConnectorIT extends HikariIT {
  @Override SqlAdmin database() {
    return Databases.mariadb();
  }

  @Override String url() {
    return Databases.mariadb().mysqlUrl(app);
  }
}
