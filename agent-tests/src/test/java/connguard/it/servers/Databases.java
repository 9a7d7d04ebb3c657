package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The real databases on 127.0.0.1, and PgBouncer in front of PostgreSQL. A missing one skips the
 * test loudly, or fails it when {@value #REQUIRE_ENV}=1 (CI), so a broken CI database can never
 * turn into a green run.
 */
public final class Databases {
  public static final String REQUIRE_ENV = "CONNGUARD_REQUIRE_DBS";

  private static PgAdmin postgres;
  private static String postgresUnreachable;
  private static MariaDbAdmin mariadb;
  private static String mariadbUnreachable;

  private Databases() {}

  /** Admin helper on jdbc:postgresql://127.0.0.1:5432/test as postgres; probed once per run. */
  public static synchronized PgAdmin postgres() {
    if (postgres == null && postgresUnreachable == null) {
      PgAdmin admin = new PgAdmin();
      try {
        admin.probe();
        postgres = admin;
      } catch (SQLException e) {
        postgresUnreachable = e.getSQLState() + " " + e.getMessage();
      }
    }
    if (postgres == null) {
      unavailable("PostgreSQL", PgAdmin.HOST + ":" + PgAdmin.PORT, postgresUnreachable);
    }
    return postgres;
  }

  /** Admin helper on jdbc:mariadb://127.0.0.1:3306/test as root; probed once per run. */
  public static synchronized MariaDbAdmin mariadb() {
    if (mariadb == null && mariadbUnreachable == null) {
      MariaDbAdmin admin = new MariaDbAdmin();
      try {
        admin.probe();
        mariadb = admin;
      } catch (SQLException e) {
        mariadbUnreachable = e.getSQLState() + " " + e.getMessage();
      }
    }
    if (mariadb == null) {
      unavailable("MariaDB", MariaDbAdmin.HOST + ":" + MariaDbAdmin.PORT, mariadbUnreachable);
    }
    return mariadb;
  }

  /**
   * A fresh PgBouncer of our own in front of {@link #postgres()}, started by the caller's test
   * and closed by it. Skips (or fails under {@value #REQUIRE_ENV}=1) when PostgreSQL is not
   * there or pgbouncer is not installed.
   */
  public static PgBouncer pgbouncer(PgBouncer.PoolMode mode, String... settings) {
    postgres();
    Path binary = PgBouncer.binary();
    if (binary == null) {
      missing("PgBouncer", "no pgbouncer executable on PATH or in /usr/sbin; install the Debian"
          + " package pgbouncer (apt-get install -y pgbouncer)");
    }
    String problem = PgBouncer.runAsProblem();
    if (problem != null) {
      missing("PgBouncer", problem);
    }
    return PgBouncer.start(binary, mode, settings);
  }

  /** A private server the test starts itself cannot run here: skip, or fail in CI. */
  static void missingPrivateServer(String what, String reason) {
    missing(what, reason);
  }

  private static void missing(String what, String reason) {
    skipOrFail(what, "missing: " + reason);
  }

  private static void unavailable(String database, String address, String reason) {
    skipOrFail(database, "not reachable at " + address + ": " + reason);
  }

  /** Loud skip on a laptop; a failure in CI, where every database must be there. */
  private static void skipOrFail(String what, String problem) {
    if ("1".equals(System.getenv(REQUIRE_ENV))) {
      fail(what + " required (" + REQUIRE_ENV + "=1) but " + problem);
    }
    String message = "*** SKIPPED: " + what + " " + problem + " (set " + REQUIRE_ENV + "=1 to fail instead) ***";
    System.err.println(message);
    Assumptions.abort(message);
  }
}
