package connguard.metrics;

/**
 * What the per-server gauges show, asked when the app's metrics are scraped; the runtime that
 * knows the open connections answers ({@code heal.GuardContext}).
 */
public interface ServerReadings {
  /** Guarded connections to this server the app has not closed (nor dropped) yet. */
  long openConnections(ServerTags server);

  /** How long the longest-idle of those has been idle, in ms; 0 when none. */
  long oldestIdleMillis(ServerTags server);
}
