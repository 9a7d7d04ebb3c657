package connguard.examples;

import static connguard.examples.Demo.pause;
import static connguard.examples.Demo.say;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Your own database (env JDBC_URL). The demo cannot restart it, so the fault is yours: kill the
 * job's session, or let the server close it when idle. The wait is bounded either way.
 */
final class ExternalDatabase implements DemoDatabase {
  private static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);
  private final String url;
  private final String user;
  private final String password;
  private final Duration idle;

  ExternalDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password == null ? "" : password;
    this.idle = idleFromEnvironment();
    say("database: " + maskPassword(url) + (user == null ? "" : " as " + user));
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public Duration faultTime() {
    return idle;
  }

  @Override
  public Connection connect() throws SQLException {
    return user == null
        ? DriverManager.getConnection(url)
        : DriverManager.getConnection(url, user, password);
  }

  @Override
  public void closeSessionsDuringIdle() {
    say("fault: the job is idle for " + idle.toSeconds() + " s (env IDLE_SECONDS);"
        + " close its session now, for example");
    say("fault:   PostgreSQL: select pg_terminate_backend(pid) from pg_stat_activity"
        + " where query like '%demo\\_%' and pid <> pg_backend_pid();");
    say("fault:   MySQL/MariaDB: KILL <id from SHOW PROCESSLIST>;");
    say("fault: or let the server's idle timeout close it (idle_session_timeout, wait_timeout)");
    long deadline = System.nanoTime() + idle.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      pause(Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(10))));
      long secondsLeft = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
      if (secondsLeft > 0) {
        say("fault: " + secondsLeft + " s of idle left");
      }
    }
  }

  @Override
  public void close() {}

  private static Duration idleFromEnvironment() {
    String seconds = System.getenv("IDLE_SECONDS");
    if (seconds == null || seconds.isBlank()) {
      return DEFAULT_IDLE;
    }
    try {
      long n = Long.parseLong(seconds.trim());
      if (n >= 0 && n <= TimeUnit.DAYS.toSeconds(1)) {
        return Duration.ofSeconds(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("IDLE_SECONDS=\"" + seconds
        + "\" is not valid; use a whole number of seconds from 0 to 86400");
  }

  static String maskPassword(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
