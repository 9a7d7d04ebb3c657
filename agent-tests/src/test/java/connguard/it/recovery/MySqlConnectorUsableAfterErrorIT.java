package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;

/** {@link UsableAfterErrorIT} with MySQL Connector/J against the same MariaDB server. */
class MySqlConnectorUsableAfterErrorIT extends MariaDbUsableAfterErrorIT {
  @Override String url(int port) {
    return Databases.mariadb().mysqlUrl(app).replace(":" + MariaDbAdmin.PORT + "/", ":" + port + "/");
  }
}
