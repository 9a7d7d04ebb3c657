package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;

/** {@link LongIdleIT} on MariaDB: wait_timeout for the app's sessions through sessionVariables. */
class MariaDbLongIdleIT extends LongIdleIT {
  private final MariaDbAdmin db = Databases.mariadb();
  private final String user = db.createUser("longidle");

  @Override
  String url() {
    return "jdbc:mariadb://" + MariaDbAdmin.HOST + ":" + MariaDbAdmin.PORT + "/test?user=" + user
        + "&sessionVariables=wait_timeout=" + IDLE_TIMEOUT_SECONDS;
  }

  @Override
  int sessions() {
    return db.backends(user);
  }

  @Override
  void cleanUp() {
    db.dropUser(user);
  }
}
