package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;

/** {@link UsableAfterErrorIT} on MariaDB (MariaDB Connector/J): KILL CONNECTION, a user per test. */
class MariaDbUsableAfterErrorIT extends UsableAfterErrorIT {
  MariaDbAdmin db;

  @Override void openDatabase() {
    db = Databases.mariadb();
    admin = db;
    app = db.createUser("cg");
    table = db.uniqueName("t");
    db.exec("create table " + table + " (id int, v varchar(20))");
  }

  @Override void closeDatabase() {
    if (db != null && app != null) {
      try {
        db.dropUser(app);
      } finally {
        db.exec("drop table if exists " + table);
      }
    }
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
