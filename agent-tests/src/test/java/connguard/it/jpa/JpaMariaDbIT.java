package connguard.it.jpa;

import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.SqlAdmin;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link JpaServiceIT} on MariaDB with MariaDB Connector/J: the app's sessions are those of a user
 * of the test's own, killed with KILL CONNECTION; wait_timeout 1 s (its smallest) through the pool's
 * connection-init SQL, so the pool's sessions die during each idle pause between bursts.
 */
class JpaMariaDbIT extends JpaServiceIT {
  @Override
  Target createTarget() {
    return new MariaDb(Databases.mariadb());
  }

  static final class MariaDb extends Target {
    private final MariaDbAdmin db;
    private final String user;
    private final String database;

    MariaDb(MariaDbAdmin db) {
      this.db = db;
      user = db.createUser("jpa");
      database = db.createDatabase("jpa", user);
    }

    @Override
    String vendor() {
      return "mariadb";
    }

    @Override
    String kind() {
      return "mariadb";
    }

    @Override
    SqlAdmin admin() {
      return db;
    }

    @Override
    String appUrl() {
      return "jdbc:mariadb://" + MariaDbAdmin.HOST + ":" + MariaDbAdmin.PORT + "/" + database + "?user=" + user
          + "&connectTimeout=5000&socketTimeout=30000";
    }

    @Override
    String idleTimeoutSql() {
      return "set session wait_timeout = 1";
    }

    @Override
    String hibernateSchema() {
      return null;
    }

    @Override
    String table(String name) {
      return database + "." + name;
    }

    @Override
    int[] serverVersion() {
      return new int[] {(int) db.count("select substring_index(version(), '.', 1)"),
          (int) db.count("select substring_index(substring_index(version(), '.', 2), '.', -1)")};
    }

    @Override
    int kill() {
      return db.kill(user);
    }

    @Override
    int killInTransaction() {
      // In an InnoDB transaction, or running a statement (a unit's statements are short: the
      // transaction of one may have started and ended between two polls of innodb_trx).
      List<String> ids = JpaServiceIT.strings(db, "select p.id from information_schema.processlist p"
          + " where p.user = '" + user + "' and (p.command = 'Query' or exists (select 1 from"
          + " information_schema.innodb_trx t where t.trx_mysql_thread_id = p.id))");
      int killed = 0;
      for (String id : ids) {
        try {
          db.exec("kill connection " + id);
          killed++;
        } catch (IllegalStateException e) {
          // 1094: the connection ended meanwhile.
          if (!(e.getCause() instanceof SQLException) || ((SQLException) e.getCause()).getErrorCode() != 1094) {
            throw e;
          }
        }
      }
      return killed;
    }

    @Override
    int backends() {
      return db.backends(user);
    }

    @Override
    void cleanUp() {
      db.dropUser(user);
      db.exec("drop database if exists " + database);
    }
  }
}
