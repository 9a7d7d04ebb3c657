package connguard.it.chaos;

import connguard.it.harness.Deadline;
import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import connguard.it.servers.PgAdmin;
import connguard.it.servers.PrivateMariaDb;
import connguard.it.servers.PrivatePostgres;
import connguard.it.servers.SqlAdmin;
import connguard.it.servers.StopMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * One database for a {@link ChaosIT} run: its admin, the run's tables, how to kill and count the
 * app's sessions, and the faults it can take. The shared servers take the proxy's and the admin's
 * faults; a private server ({@link PrivatePg}, {@link PrivateMariaDb}) also restarts and crashes.
 */
abstract class ChaosTarget {
  static final List<String> BASE_FAULTS = List.of("kill", "cut", "replyLost", "replyLostUpsert",
      "refuse", "blackhole", "cutBytes", "latency", "idle");
  static final List<String> SERVER_FAULTS = List.of("restart", "crash");

  final String ledger;
  final String upserts;

  ChaosTarget(SqlAdmin admin) {
    ledger = admin.uniqueName("chaos");
    upserts = admin.uniqueName("chaosu");
    // No unique constraint on the ledger: a duplicated write must show as a second row.
    admin.exec("create table " + ledger + " (k varchar(64) not null, tx varchar(64), th int)");
    admin.exec("create table " + upserts + " (k varchar(64) primary key, th int)");
  }

  abstract SqlAdmin admin();

  abstract String kind();

  abstract int port();

  abstract String appUrl(int proxyPort);

  abstract void kill();

  abstract int backends();

  /** The server closes a session of the app idle this long (set through the app's URL). */
  abstract int idleTimeoutSeconds();

  /** The faults this target supports; a private server adds restart and crash. */
  List<String> faultKinds() {
    return BASE_FAULTS;
  }

  /** A fault beyond the proxy's and the admin's: restart, crash. */
  void fault(String kind) {
    throw new IllegalArgumentException("no such fault for " + kind() + ": " + kind);
  }

  /** Polls until the app has no session left; returns how many were left at the deadline. */
  long awaitNoBackends(Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    int seen = backends();
    for (int polls = 0; polls < 1000 && seen > 0 && !deadline.expired(); polls++) {
      deadline.pause(100);
      seen = backends();
    }
    return seen;
  }

  void cleanUp() {
    admin().exec("drop table if exists " + ledger);
    admin().exec("drop table if exists " + upserts);
  }

  static class Pg extends ChaosTarget {
    private final PgAdmin admin;
    private final int port;
    private final String app;

    Pg() {
      this(Databases.postgres(), PgAdmin.PORT);
    }

    Pg(PgAdmin admin, int port) {
      super(admin);
      this.admin = admin;
      this.port = port;
      app = admin.uniqueName("chaosapp");
    }

    @Override
    PgAdmin admin() {
      return admin;
    }

    @Override
    String kind() {
      return "postgres";
    }

    @Override
    int port() {
      return port;
    }

    @Override
    String appUrl(int proxyPort) {
      return admin().url(app, proxyPort) + "&connectTimeout=5&loginTimeout=10&socketTimeout=15"
          + "&options=-c%20idle_session_timeout%3D" + idleTimeoutSeconds() + "s";
    }

    @Override
    int idleTimeoutSeconds() {
      return 1;
    }

    @Override
    void kill() {
      admin().terminate(app);
    }

    @Override
    int backends() {
      return admin().backends(app);
    }

    @Override
    void cleanUp() {
      admin().terminate(app);
      super.cleanUp();
    }
  }

  static class MariaDb extends ChaosTarget {
    private final MariaDbAdmin admin;
    private final int port;
    private final String user;

    MariaDb() {
      this(Databases.mariadb(), MariaDbAdmin.PORT);
    }

    MariaDb(MariaDbAdmin admin, int port) {
      super(admin);
      this.admin = admin;
      this.port = port;
      user = admin.createUser("chaos");
    }

    @Override
    MariaDbAdmin admin() {
      return admin;
    }

    @Override
    String kind() {
      return "mariadb";
    }

    @Override
    int port() {
      return port;
    }

    @Override
    String appUrl(int proxyPort) {
      return "jdbc:mariadb://127.0.0.1:" + proxyPort + "/test?user=" + user
          + "&connectTimeout=5000&socketTimeout=15000&sessionVariables=wait_timeout="
          + idleTimeoutSeconds();
    }

    @Override
    int idleTimeoutSeconds() {
      return 2;
    }

    @Override
    void kill() {
      admin().kill(user);
    }

    @Override
    int backends() {
      return admin().backends(user);
    }

    @Override
    void cleanUp() {
      admin().dropUser(user);
      super.cleanUp();
    }
  }

  /**
   * The faults a shared server must not get: a clean restart (pg_ctl -m fast) and a crash
   * (-m immediate), on a {@link PrivatePostgres} behind the proxy.
   */
  static final class PrivatePg extends Pg {
    private final PrivatePostgres server;

    private PrivatePg(PrivatePostgres server) {
      super(server.admin(), server.port());
      this.server = server;
    }

    static PrivatePg start() {
      return new PrivatePg(PrivatePostgres.start());
    }

    @Override
    List<String> faultKinds() {
      return Stream.concat(BASE_FAULTS.stream(), SERVER_FAULTS.stream()).toList();
    }

    @Override
    void fault(String kind) {
      server.restart(kind.equals("crash") ? StopMode.IMMEDIATE : StopMode.FAST);
    }

    @Override
    void cleanUp() {
      try {
        super.cleanUp();
      } finally {
        server.close();
      }
    }
  }

  /** Restart (SIGTERM) and crash (SIGKILL) of a {@link PrivateMariaDb} behind the proxy. */
  static final class PrivateMariaDb extends MariaDb {
    private final connguard.it.servers.PrivateMariaDb server;

    private PrivateMariaDb(connguard.it.servers.PrivateMariaDb server) {
      super(server.admin(), server.port());
      this.server = server;
    }

    static PrivateMariaDb start() {
      return new PrivateMariaDb(connguard.it.servers.PrivateMariaDb.start());
    }

    @Override
    List<String> faultKinds() {
      return Stream.concat(BASE_FAULTS.stream(), SERVER_FAULTS.stream()).toList();
    }

    @Override
    void fault(String kind) {
      server.restart(kind.equals("crash") ? StopMode.IMMEDIATE : StopMode.FAST);
    }

    @Override
    void cleanUp() {
      try {
        super.cleanUp();
      } finally {
        server.close();
      }
    }
  }
}
