package connguard.it.replay;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.SqlAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link TransactionReplayIT} on MariaDB with MariaDB Connector/J 3 (KILL CONNECTION). */
class MariaDbTransactionReplayIT extends TransactionReplayIT {
  MariaDbAdmin db;
  String user;

  @BeforeEach
  void setUp() {
    db = Databases.mariadb();
    user = db.createUser("tr");
    table = db.uniqueName("t");
    db.exec("create table " + table + " (id int, v varchar(20))");
  }

  @AfterEach
  void tearDown() {
    if (db != null && user != null) {
      try {
        db.dropUser(user);
      } finally {
        db.exec("drop table if exists " + table);
      }
    }
  }

  @Override SqlAdmin admin() {
    return db;
  }

  @Override Shell connected(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START).start();
    sh.ok("connect c1 " + url());
    return sh;
  }

  String url() {
    return db.url(user);
  }

  @Override int kill() {
    return db.kill(user);
  }
}
