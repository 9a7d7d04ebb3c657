package connguard.it;

/**
 * {@link JpaServiceIT} on MariaDB with MariaDB Connector/J: the app's sessions are those of a user
 * of the test's own, killed with KILL CONNECTION; wait_timeout 1 s (its smallest) through the URL's
 * sessionVariables, so the pool's sessions die during each idle pause between bursts.
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
      // What Hibernate 7 maps Account and Transfer to (schema validation off: a migration tool's job).
      db.exec("create sequence " + database + ".account_seq start with 1 increment by 50");
      db.exec("create table " + database + ".account (id bigint primary key, business_key varchar(64) not null,"
          + " worker integer not null, balance bigint not null, last_key varchar(64), version bigint not null)"
          + " engine=InnoDB");
      db.exec("create table " + database + ".transfer (id bigint not null auto_increment primary key,"
          + " business_key varchar(64) not null, account_id bigint not null, amount bigint not null) engine=InnoDB");
      for (int w = 0; w < THREADS; w++) {
        db.exec("insert into " + database + ".account values (" + (ACCOUNT_BASE + w) + ", 'own_" + w + "', " + w
            + ", 0, null, 0)");
      }
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
          + "&connectTimeout=5000&socketTimeout=30000&sessionVariables=wait_timeout=" + idleTimeout();
    }

    @Override
    String idleTimeout() {
      return "1";
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
