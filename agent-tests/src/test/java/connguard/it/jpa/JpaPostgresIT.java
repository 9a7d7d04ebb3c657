package connguard.it.jpa;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import connguard.it.servers.SqlAdmin;

/**
 * {@link JpaServiceIT} on PostgreSQL: the app's sessions tagged by application_name, killed with
 * pg_terminate_backend; idle_session_timeout 300 ms through the pool's connection-init SQL, shorter than
 * HikariCP's 500 ms alive-bypass window, so a session that idled in the pool reaches Hibernate dead
 * (57P05) unless something validates it.
 */
class JpaPostgresIT extends JpaServiceIT {
  @Override
  Target createTarget() {
    return new Pg(Databases.postgres());
  }

  static final class Pg extends Target {
    private final PgAdmin pg;
    private final String app;
    private final String schema;

    Pg(PgAdmin pg) {
      this.pg = pg;
      app = pg.uniqueName("jpa");
      schema = pg.uniqueName("jpa");
      // The app's user owns the schema: the migration (the test's or Flyway's) runs as the app.
      pg.exec("create schema " + schema + " authorization root");
    }

    @Override
    String vendor() {
      return "postgresql";
    }

    @Override
    String kind() {
      return "postgres";
    }

    @Override
    SqlAdmin admin() {
      return pg;
    }

    @Override
    String appUrl() {
      return pg.url(app) + "&connectTimeout=5&loginTimeout=10&socketTimeout=30";
    }

    @Override
    String idleTimeoutSql() {
      return "set idle_session_timeout = '300ms'";
    }

    @Override
    String hibernateSchema() {
      return schema;
    }

    @Override
    String table(String name) {
      return schema + "." + name;
    }

    @Override
    int[] serverVersion() {
      return new int[] {(int) pg.count("select current_setting('server_version_num')::int / 10000"), 0};
    }

    @Override
    int kill() {
      return pg.terminate(app);
    }

    @Override
    int killInTransaction() {
      return (int) pg.countWith("select count(*) from (select pg_terminate_backend(pid, 5000) as killed"
          + " from pg_stat_activity where application_name = ? and xact_start is not null"
          + " and pid <> pg_backend_pid()) k where killed", app);
    }

    @Override
    int backends() {
      return pg.backends(app);
    }

    @Override
    void cleanUp() {
      pg.terminate(app);
      pg.exec("drop schema if exists " + schema + " cascade");
    }
  }
}
