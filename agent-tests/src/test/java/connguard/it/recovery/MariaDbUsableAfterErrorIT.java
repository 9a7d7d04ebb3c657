package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.SqlAdmin;

/** {@link UsableAfterErrorIT} on MariaDB (MariaDB Connector/J): KILL CONNECTION, a user per test. */
class MariaDbUsableAfterErrorIT extends UsableAfterErrorIT {
  @Override SqlAdmin database() {
    return Databases.mariadb();
  }

  @Override int serverPort() {
    return MariaDbAdmin.PORT;
  }

  @Override String slowInsert(int id, int seconds) {
    return "insert into " + table + " select " + id + ", 'slow' from (select sleep(" + seconds + ")) s";
  }

  @Override String longRead() {
    return "select benchmark(2000000000, md5('connguard'))";
  }

  @Override String isolationRead() {
    return "select @@tx_isolation";
  }

  @Override String serializable() {
    return "SERIALIZABLE";
  }

  @Override String pinningSql() {
    return "create temporary table scratch (x int)";
  }
}
