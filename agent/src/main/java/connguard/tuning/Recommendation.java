package connguard.tuning;

import connguard.config.Durations;
import connguard.config.Options;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns a server's timeouts into connguard options and HikariCP settings that fit them. Pure:
 * timeouts in, values and one reason each out; the doctor prints them.
 */
public final class Recommendation {
  /** For a HikariCP value no setting can satisfy. */
  public static final long NOT_SETTABLE = -1;

  // Validating more often than this would add a round trip to nearly every statement of a busy app.
  static final long MIN_VALIDATE_IDLE_AFTER_MILLIS = 250;
  // Recycling below a shorter idle limit only churns connections: validation already catches those.
  static final long MIN_LIMIT_FOR_MAX_AGE_MILLIS = TimeUnit.MINUTES.toMillis(10);
  // HikariCP refuses maxLifetime and keepaliveTime below 30 s and silently uses its defaults.
  static final long HIKARI_MIN_MILLIS = TimeUnit.SECONDS.toMillis(30);
  static final long HIKARI_DEFAULT_MAX_LIFETIME_MILLIS = TimeUnit.MINUTES.toMillis(30);
  // Below the idle limits of common NATs, firewalls and cloud load balancers (about 4 to 6 min),
  // which drop an idle TCP flow without telling either end.
  static final long NETWORK_IDLE_GUARD_MILLIS = TimeUnit.MINUTES.toMillis(2);
  private static final String NETWORK_GUARD_WHY = "pings idle connections before a NAT, firewall or"
      + " load balancer drops them (often after 4 to 6 min)";
  // Above this the server's TCP keepalives come too late for those middleboxes.
  static final long LATE_KEEPALIVE_MILLIS = TimeUnit.MINUTES.toMillis(4);

  public final long validateIdleAfterMillis;
  public final String validateIdleAfterWhy;
  /** {@link Durations#OFF} for off. */
  public final long maxAgeMillis;
  public final String maxAgeWhy;
  /** {@link #NOT_SETTABLE} when the server's idle limit is below HikariCP's minimum. */
  public final long maxLifetimeMillis;
  public final String maxLifetimeWhy;
  /** 0 for off, as HikariCP reads it. */
  public final long keepaliveTimeMillis;
  public final String keepaliveTimeWhy;
  /** Warnings and facts worth knowing that change no value above. */
  public final List<String> notes;

  private Recommendation(Builder b) {
    this.validateIdleAfterMillis = b.validateIdleAfterMillis;
    this.validateIdleAfterWhy = b.validateIdleAfterWhy;
    this.maxAgeMillis = b.maxAgeMillis;
    this.maxAgeWhy = b.maxAgeWhy;
    this.maxLifetimeMillis = b.maxLifetimeMillis;
    this.maxLifetimeWhy = b.maxLifetimeWhy;
    this.keepaliveTimeMillis = b.keepaliveTimeMillis;
    this.keepaliveTimeWhy = b.keepaliveTimeWhy;
    this.notes = Collections.unmodifiableList(new ArrayList<>(b.notes));
  }

  public static Recommendation from(ServerTimeouts timeouts) {
    Builder b = new Builder();
    Limit anyIdle = smallestIdleLimit(timeouts);
    Limit sessionIdle = sessionIdleLimit(timeouts);
    validateIdleAfter(anyIdle, b);
    maxAge(sessionIdle, b);
    hikari(sessionIdle, b);
    notes(timeouts, b);
    return new Recommendation(b);
  }

  /** "validateIdleAfter=1500ms" or "validateIdleAfter=2s,maxAge=475m": the -javaagent arguments. */
  public String agentArguments() {
    return "validateIdleAfter=" + duration(validateIdleAfterMillis)
        + (maxAgeMillis == Durations.OFF ? "" : ",maxAge=" + duration(maxAgeMillis));
  }

  /** "2s", "1500ms", "off" for {@link Durations#OFF} and 0, "n/a" for {@link #NOT_SETTABLE}. */
  public static String duration(long millis) {
    if (millis == NOT_SETTABLE) {
      return "n/a";
    }
    if (millis == 0) {
      return "off";
    }
    return Durations.format(TimeUnit.MILLISECONDS.toNanos(millis));   // saturates: OFF stays "off"
  }

  // Everything that closes a session the app still holds, inside a transaction or not.
  static Limit smallestIdleLimit(ServerTimeouts t) {
    Limit smallest = sessionIdleLimit(t);
    if (t.product == Product.POSTGRESQL) {
      smallest = Limit.smaller(smallest, Limit.of(t, ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT));
    }
    return smallest;
  }

  // What closes a connection that waits between transactions, as in a pool. MySQL's
  // interactive_timeout does not count: JDBC sessions are not interactive unless asked, and then
  // the server copies it into the session's wait_timeout, which is what the doctor read.
  static Limit sessionIdleLimit(ServerTimeouts t) {
    if (t.product == Product.POSTGRESQL) {
      return Limit.of(t, ServerSetting.IDLE_SESSION_TIMEOUT);
    }
    if (t.product.isMysqlFamily()) {
      return Limit.of(t, ServerSetting.WAIT_TIMEOUT);
    }
    return null;
  }

  private static void validateIdleAfter(Limit idle, Builder b) {
    long defaultMillis = TimeUnit.NANOSECONDS.toMillis(Options.validateIdleAfterDefaultNanos());
    if (idle == null) {
      b.validateIdleAfterMillis = defaultMillis;
      b.validateIdleAfterWhy = "the default: no server idle timeout, but admins, restarts and"
          + " networks close sessions too";
      return;
    }
    long half = idle.millis / 2;
    b.validateIdleAfterMillis = Math.max(MIN_VALIDATE_IDLE_AFTER_MILLIS, Math.min(defaultMillis, half));
    if (half >= defaultMillis) {
      b.validateIdleAfterWhy = "the default, well below " + idle;
    } else if (half >= MIN_VALIDATE_IDLE_AFTER_MILLIS) {
      b.validateIdleAfterWhy = "half of " + idle + ": checked before the server can have closed it";
    } else {
      b.validateIdleAfterWhy = "the shortest sensible; " + idle + " is shorter still (see notes)";
      b.notes.add(idle + " closes sessions between the statements of one request; raise it,"
          + " no client setting makes so short a limit safe");
    }
  }

  private static void maxAge(Limit sessionIdle, Builder b) {
    b.maxAgeMillis = Durations.OFF;
    if (sessionIdle == null) {
      b.maxAgeWhy = "the server limits neither age nor idle time";
    } else if (sessionIdle.millis < MIN_LIMIT_FOR_MAX_AGE_MILLIS) {
      b.maxAgeWhy = sessionIdle + " is too short to recycle below; validation covers it";
    } else {
      b.maxAgeMillis = aBitShorter(sessionIdle.millis);
      b.maxAgeWhy = "a bit below " + sessionIdle + "; a fallback should validation be off";
    }
  }

  private static void hikari(Limit sessionIdle, Builder b) {
    if (sessionIdle == null) {
      b.maxLifetimeMillis = HIKARI_DEFAULT_MAX_LIFETIME_MILLIS;
      b.maxLifetimeWhy = "HikariCP's default; go below any firewall idle limit you know of";
      b.keepaliveTimeMillis = NETWORK_IDLE_GUARD_MILLIS;
      b.keepaliveTimeWhy = NETWORK_GUARD_WHY;
      return;
    }
    long shorter = aBitShorter(sessionIdle.millis);
    if (shorter < HIKARI_MIN_MILLIS) {
      b.maxLifetimeMillis = NOT_SETTABLE;
      b.maxLifetimeWhy = "HikariCP's minimum, 30s, is above " + sessionIdle + "; its check on"
          + " borrow replaces what the server closed";
      b.keepaliveTimeMillis = 0;
      b.keepaliveTimeWhy = "its minimum, 30s, is too long as well";
      return;
    }
    b.maxLifetimeMillis = Math.min(shorter, HIKARI_DEFAULT_MAX_LIFETIME_MILLIS);
    b.maxLifetimeWhy = b.maxLifetimeMillis == shorter
        ? "a bit below " + sessionIdle + ": the pool retires it first"
        : "HikariCP's default, well below " + sessionIdle;
    long keepalive = Math.max(HIKARI_MIN_MILLIS, Math.min(sessionIdle.millis / 2, NETWORK_IDLE_GUARD_MILLIS));
    if (keepalive >= b.maxLifetimeMillis) {
      b.keepaliveTimeMillis = 0;
      b.keepaliveTimeWhy = "must be 30s or more and below maxLifetime; maxLifetime alone suffices";
    } else {
      b.keepaliveTimeMillis = keepalive;
      b.keepaliveTimeWhy = keepalive == NETWORK_IDLE_GUARD_MILLIS
          ? NETWORK_GUARD_WHY
          : "half of " + sessionIdle + ": pinged before the server closes it";
    }
  }

  private static void notes(ServerTimeouts t, Builder b) {
    if (t.isEmpty()) {
      b.notes.add(t.product == Product.OTHER
          ? "the doctor does not know this database's timeouts; the values above are connguard's defaults"
          : "the server's timeouts could not be read; the values above are connguard's defaults");
      return;
    }
    Limit inTransaction = Limit.of(t, ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT);
    if (inTransaction != null) {
      b.notes.add(inTransaction + " ends a transaction left idle that long, with its session;"
          + " connguard does not replay it: the app sees an error, its rollback succeeds");
    }
    Limit statement = Limit.of(t, ServerSetting.STATEMENT_TIMEOUT);
    if (statement != null) {
      b.notes.add(statement + " cancels slower statements (57014); the connection survives,"
          + " connguard never retries them");
    }
    long keepaliveIdle = t.positive(ServerSetting.TCP_KEEPALIVES_IDLE);
    if (keepaliveIdle > LATE_KEEPALIVE_MILLIS) {
      b.notes.add("tcp_keepalives_idle=" + duration(keepaliveIdle) + ": the server probes a silent"
          + " connection that late; idle drops by a firewall before then go unnoticed until the"
          + " next use (validateIdleAfter, keepaliveTime)");
    }
    Limit netWrite = Limit.of(t, ServerSetting.NET_WRITE_TIMEOUT);
    if (netWrite != null) {
      b.notes.add(netWrite + ": an app that stalls that long reading a streamed result loses"
          + " the connection; connguard cannot resume a half-read result");
    }
    if (t.product == Product.POSTGRESQL && t.value(ServerSetting.IDLE_SESSION_TIMEOUT) == null) {
      b.notes.add("idle_session_timeout is not known to this server (before PostgreSQL 14)");
    }
  }

  // A little under the limit for timer slack and clock steps: 10%, between 1s and 5min, in whole seconds.
  static long aBitShorter(long limitMillis) {
    long margin = Math.max(TimeUnit.SECONDS.toMillis(1), Math.min(limitMillis / 10, TimeUnit.MINUTES.toMillis(5)));
    long shorter = limitMillis - margin;
    return shorter - shorter % TimeUnit.SECONDS.toMillis(1);
  }

  /** A positive timeout and the setting it came from; prints as "wait_timeout=8h". */
  static final class Limit {
    final ServerSetting setting;
    final long millis;

    private Limit(ServerSetting setting, long millis) {
      this.setting = setting;
      this.millis = millis;
    }

    /** Null when the server lacks the setting or has it off. */
    static Limit of(ServerTimeouts t, ServerSetting setting) {
      long millis = t.positive(setting);
      return millis > 0 ? new Limit(setting, millis) : null;
    }

    static Limit smaller(Limit a, Limit b) {
      if (a == null) {
        return b;
      }
      return b == null || a.millis <= b.millis ? a : b;
    }

    @Override
    public String toString() {
      return setting.serverName + "=" + duration(millis);
    }
  }

  private static final class Builder {
    long validateIdleAfterMillis;
    String validateIdleAfterWhy;
    long maxAgeMillis;
    String maxAgeWhy;
    long maxLifetimeMillis;
    String maxLifetimeWhy;
    long keepaliveTimeMillis;
    String keepaliveTimeWhy;
    final List<String> notes = new ArrayList<>();
  }
}
