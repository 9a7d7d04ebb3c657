package connguard.it.recovery;

import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a suite run once per database holds: the admin side ({@link #database}), one app of the
 * test's own whose sessions the admin side finds, kills and counts by its name (PostgreSQL
 * application_name, MariaDB a user), and a table {@code (id int, v varchar(20))} without a key: a
 * statement run twice leaves two rows, not a duplicate-key error.
 */
abstract class DatabaseSuite {
  static final Duration WAIT = Duration.ofSeconds(10);

  SqlAdmin admin;
  String app;
  String table;

  /** The database's admin side (from {@code Databases}). */
  abstract SqlAdmin database();

  @BeforeEach
  void openDatabase() {
    admin = database();
    app = admin.newApp("cg");
    table = admin.uniqueName("t");
    admin.exec("create table " + table + " (id int, v varchar(20))");
  }

  @AfterEach
  void closeDatabase() {
    if (admin != null && app != null) {
      try {
        admin.dropApp(app);
      } finally {
        admin.exec("drop table if exists " + table);
      }
    }
  }

  int kill() {
    return admin.killSessions(app);
  }

  int backends() {
    return admin.backends(app);
  }

  void awaitBackends(int expected) {
    admin.awaitBackends(app, expected, WAIT);
  }

  /** Waits until a session of the app runs a statement, e.g. to kill it mid-flight. */
  void awaitRunning() {
    admin.awaitActiveQuery(app, WAIT);
  }

  long count(String sql) {
    return admin.count(sql);
  }
}
