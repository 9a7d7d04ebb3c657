package connguard.tuning;

/**
 * Does a pool keep idle connections longer than the server keeps idle sessions? Then they die
 * in the pool, every borrow after a quiet spell pays a failed check and a reconnect, and the
 * operator should hear it once, with the settings that fit. Pure, like {@link IdleFit}.
 */
public final class PoolFit {
  private PoolFit() {}

  /** The one warning for this pool and server, or null when the pool's settings fit. */
  public static String warning(String server, ServerTimeouts timeouts, PoolSettings pool) {
    Recommendation.Limit idle = Recommendation.sessionIdleLimit(timeouts);
    if (idle == null || pool.longestIdleMillis() < idle.millis) {
      return null;
    }
    Recommendation r = Recommendation.from(timeouts);
    return "connguard: " + pool.pool + " keeps a connection idle up to " + idleBound(pool) + " but " + server
        + " " + IdleFit.closes(idle) + ": pooled connections die there and are replaced only when borrowed; "
        + fix(r, idle);
  }

  // "maxLifetime=30m (keepaliveTime off)" or "keepaliveTime=5m"
  private static String idleBound(PoolSettings pool) {
    if (pool.keepaliveTimeMillis > 0
        && (pool.maxLifetimeMillis <= 0 || pool.keepaliveTimeMillis < pool.maxLifetimeMillis)) {
      return "keepaliveTime=" + Recommendation.duration(pool.keepaliveTimeMillis);
    }
    String lifetime = pool.maxLifetimeMillis > 0 ? Recommendation.duration(pool.maxLifetimeMillis) : "unlimited";
    return "maxLifetime=" + lifetime + " (keepaliveTime off)";
  }

  private static String fix(Recommendation r, Recommendation.Limit idle) {
    if (r.maxLifetimeMillis == Recommendation.NOT_SETTABLE) {
      return "no HikariCP setting fits (its minimum is 30s): raise " + idle.setting.serverName
          + " above a minute; connguard validates the connections the app holds";
    }
    String keepalive = r.keepaliveTimeMillis > 0
        ? " and keepaliveTime=" + Recommendation.duration(r.keepaliveTimeMillis) : "";
    return "use maxLifetime=" + Recommendation.duration(r.maxLifetimeMillis) + keepalive;
  }
}
