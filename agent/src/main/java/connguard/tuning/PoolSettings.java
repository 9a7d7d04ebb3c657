package connguard.tuning;

import java.util.Collections;
import java.util.List;

/**
 * What a connection pool lets a connection do while it waits in the pool, as read from its
 * configuration once the pool validated it. Durations in ms; 0 means off or unlimited, as the
 * pools themselves read them.
 */
public final class PoolSettings {
  public final String pool;              // "HikariCP pool 'orders'"
  public final long maxLifetimeMillis;
  public final long keepaliveTimeMillis;
  /** Where its connections go, as {@link ServerKey}s; empty when unknown. */
  public final List<String> servers;

  public PoolSettings(String pool, long maxLifetimeMillis, long keepaliveTimeMillis, List<String> servers) {
    this.pool = pool;
    this.maxLifetimeMillis = maxLifetimeMillis;
    this.keepaliveTimeMillis = keepaliveTimeMillis;
    this.servers = Collections.unmodifiableList(servers);
  }

  /**
   * The longest a connection can sit idle in the pool: until keepalive pings it (which resets the
   * server's idle timer) or maxLifetime retires it; Long.MAX_VALUE when neither is set.
   */
  long longestIdleMillis() {
    long longest = Long.MAX_VALUE;
    if (maxLifetimeMillis > 0) {
      longest = maxLifetimeMillis;
    }
    if (keepaliveTimeMillis > 0) {
      longest = Math.min(longest, keepaliveTimeMillis);
    }
    return longest;
  }
}
