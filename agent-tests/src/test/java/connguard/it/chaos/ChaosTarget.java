package connguard.it.chaos;

import connguard.it.faults.FaultProxy;
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
 * faults; a private server ({@link PrivatePg}, {@link PrivateMariaDb}) also restarts and crashes;
 * a failover target takes failovers only: a PostgreSQL switchover behind the proxy as its VIP
 * ({@link PrivatePgPair}), a MariaDB server set read-only and writable again.
 */
abstract class ChaosTarget {
  static final List<String> BASE_FAULTS = List.of("kill", "cut", "replyLost", "replyLostUpsert",
      "refuse", "blackhole", "cutBytes", "latency", "idle");
  static final List<String> SERVER_FAULTS = List.of("restart", "crash");
  static final List<String> PRIVATE_FAULTS = Stream.concat(BASE_FAULTS.stream(), SERVER_FAULTS.stream()).toList();
  static final List<String> READ_ONLY_FAULTS = List.of("readOnly");

  final String ledger;
  final String upserts;

  /**
   * The target a run's first word names: postgres, mariadb (the machine's servers), or with
   * -private (restart, crash) or -failover (switchover, readOnly) a server of the run's own.
   */
  static ChaosTarget named(String name) {
    switch (name) {
      case "postgres":
        return new Pg();
      case "mariadb":
        return new MariaDb();
      case "postgres-private":
        return PrivatePg.start();
      case "mariadb-private":
        return PrivateMariaDb.start(PRIVATE_FAULTS);
      case "postgres-failover":
        return PrivatePgPair.start();
      case "mariadb-failover":
        return PrivateMariaDb.start(READ_ONLY_FAULTS);
      default:
        throw new IllegalArgumentException("no chaos target " + name);
    }
  }

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

  /** A fault beyond the proxy's and the admin's: restart, crash, switchover, readOnly. */
  void fault(String kind, FaultProxy vip) {
    throw new IllegalArgumentException("no such fault for " + kind() + ": " + kind);
  }

  /** After a fault's window, untimed: what the next fault of its kind needs. */
  void afterFault(String kind) {
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
      return PRIVATE_FAULTS;
    }

    @Override
    void fault(String kind, FaultProxy vip) {
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

  /**
   * A switchover behind a VIP (the run's proxy), on a private primary with a streaming standby.
   * The VIP drops every session and refuses while the old primary's sessions end (waited for) and
   * the standby replays all the old primary wrote, so nothing committed is left behind; the old
   * primary is gone; the VIP leads to the standby, still read-only for {@link #READ_ONLY_MILLIS},
   * then promoted (pg_ctl promote). After the fault's window a standby of the new primary is made,
   * so the fault repeats, at most {@link #MAX_SWITCHOVERS} times a run.
   */
  static final class PrivatePgPair extends Pg {
    static final int MAX_SWITCHOVERS = 8;
    static final long REFUSE_MILLIS = 500;
    static final long READ_ONLY_MILLIS = 1000;
    private PrivatePostgres primary;
    private PrivatePostgres standby;
    private int switchovers;

    private PrivatePgPair(PrivatePostgres primary) {
      super(primary.admin(), primary.port());
      this.primary = primary;
    }

    static PrivatePgPair start() {
      PrivatePostgres first = PrivatePostgres.start();
      PrivatePgPair pair;
      try {
        pair = new PrivatePgPair(first);          // the run's tables, on the primary
      } catch (RuntimeException | Error e) {
        first.close();
        throw e;
      }
      try {
        pair.standby = first.startStandby();      // made after the tables: it has them
        return pair;
      } catch (RuntimeException | Error e) {
        pair.cleanUp();
        throw e;
      }
    }

    /** The admin of whichever server is primary now: the run's invariants are read there. */
    @Override
    PgAdmin admin() {
      return primary.admin();
    }

    /** A switchover while a standby is ready; none after {@link #MAX_SWITCHOVERS}. */
    @Override
    List<String> faultKinds() {
      return standby == null ? List.of() : List.of("switchover");
    }

    @Override
    void fault(String kind, FaultProxy vip) {
      Deadline refused = Deadline.in(Duration.ofMillis(REFUSE_MILLIS));
      vip.refuse(true);
      vip.cutAll();
      kill();                                      // nothing commits on the old primary after this
      standby.awaitReplayed(primary, Duration.ofSeconds(30));
      PrivatePostgres old = primary;
      primary = standby;
      standby = null;
      old.close();
      refused.pause(REFUSE_MILLIS);
      vip.retarget(primary.port());
      vip.refuse(false);
      Deadline.in(Duration.ofMillis(READ_ONLY_MILLIS)).pause(READ_ONLY_MILLIS);
      primary.promote();
      switchovers++;
    }

    @Override
    void afterFault(String kind) {
      if (standby == null && switchovers < MAX_SWITCHOVERS) {
        standby = primary.startStandby();
      }
    }

    @Override
    void cleanUp() {
      try {
        super.cleanUp();
      } finally {
        if (standby != null) {
          standby.close();
        }
        primary.close();
      }
    }
  }

  /**
   * A {@link PrivateMariaDb} behind the proxy with its faults: restart (SIGTERM) and crash
   * (SIGKILL), or readOnly: {@code set global read_only} for {@link #READ_ONLY_MILLIS}, as a
   * primary demoted and promoted again; the app's user has no SUPER, so its writes get 1290.
   */
  static final class PrivateMariaDb extends MariaDb {
    static final long READ_ONLY_MILLIS = 1000;
    private final connguard.it.servers.PrivateMariaDb server;
    private final List<String> kinds;

    private PrivateMariaDb(connguard.it.servers.PrivateMariaDb server, List<String> kinds) {
      super(server.admin(), server.port());
      this.server = server;
      this.kinds = kinds;
    }

    /** PRIVATE_FAULTS or READ_ONLY_FAULTS. */
    static PrivateMariaDb start(List<String> kinds) {
      return new PrivateMariaDb(connguard.it.servers.PrivateMariaDb.start(), kinds);
    }

    @Override
    List<String> faultKinds() {
      return kinds;
    }

    @Override
    void fault(String kind, FaultProxy vip) {
      if (kind.equals("readOnly")) {
        admin().exec("set global read_only = 1");
        Deadline.in(Duration.ofMillis(READ_ONLY_MILLIS)).pause(READ_ONLY_MILLIS);
        admin().exec("set global read_only = 0");
      } else {
        server.restart(kind.equals("crash") ? StopMode.IMMEDIATE : StopMode.FAST);
      }
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
