package connguard.it.recovery;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;

/** {@link LongIdleIT} on PostgreSQL 14+: idle_session_timeout through the URL's options. */
class PostgresLongIdleIT extends LongIdleIT {
  private final PgAdmin pg = Databases.postgres();
  private final String app = pg.uniqueName("longidle");

  @Override
  String url() {
    return pg.url(app) + "&options=-c%20idle_session_timeout%3D" + IDLE_TIMEOUT_SECONDS + "s";
  }

  @Override
  int sessions() {
    return pg.backends(app);
  }

  @Override
  void cleanUp() {
    pg.terminate(app);
  }
}
