package connguard.metrics;

import connguard.stats.Counts;
import java.util.Arrays;
import java.util.List;

/**
 * The agent's meters: one table of names, units and meanings for Micrometer and OpenTelemetry
 * alike. Every meter has one series per server ({@link ServerTags}). The counters are the JMX
 * MBean's (DeadConnectionsDetected becomes {@code connguard.dead.connections.detected}), per
 * server: one {@link Counts} each, the MBean showing their sums.
 */
final class Meters {
  static final String OPEN = "connguard.connections.open";
  static final String OPEN_MEANING = "guarded connections to this server the app has not closed yet";
  static final String OLDEST_IDLE = "connguard.connections.oldest.idle";
  static final String OLDEST_IDLE_MEANING = "how long the longest-idle open guarded connection to this server has been idle";

  private Meters() {}

  /** One counter of {@link Counts}, read (never written) when the app's metrics are scraped. */
  static final class Counter {
    final String name;
    final String meaning;
    /** OpenTelemetry's unit: an annotation in braces, as its conventions count things. */
    final String otelUnit;
    /** Which of a server's {@link Counts}: {@link Counts#get}'s index. */
    final int index;

    Counter(String name, String otelUnit, int index, String meaning) {
      this.name = name;
      this.meaning = meaning;
      this.otelUnit = otelUnit;
      this.index = index;
    }
  }

  static List<Counter> counters() {
    return Arrays.asList(
        new Counter("connguard.dead.connections.detected", "{connection}", Counts.DEAD_CONNECTIONS_DETECTED,
            "connections found dead, by validation or by a failed call"),
        new Counter("connguard.reconnects", "{connection}", Counts.RECONNECTS,
            "fresh physical connections opened to replace dead ones"),
        new Counter("connguard.statements.retried", "{call}", Counts.STATEMENTS_RETRIED,
            "calls re-executed on a fresh connection that then succeeded"),
        new Counter("connguard.retries.exhausted", "{call}", Counts.RETRIES_EXHAUSTED,
            "recoveries given up because maxRetries or retryWindow ran out"),
        new Counter("connguard.validations.failed", "{connection}", Counts.VALIDATIONS_FAILED,
            "idle connections found dead by validation before use"),
        new Counter("connguard.retries.refused", "{call}", Counts.RETRIES_REFUSED,
            "dead-connection failures passed to the app because re-executing was not safe"),
        new Counter("connguard.transactions.lost", "{transaction}", Counts.TRANSACTIONS_LOST,
            "transactions whose work was lost with their connection (the app got an error)"),
        new Counter("connguard.connections.recycled", "{connection}", Counts.CONNECTIONS_RECYCLED,
            "connections replaced quietly because they reached maxAge"),
        new Counter("connguard.transactions.replayed", "{transaction}", Counts.TRANSACTIONS_REPLAYED,
            "lost transactions replayed on a fresh connection with every result verified"),
        new Counter("connguard.replays.refused", "{transaction}", Counts.REPLAYS_REFUSED,
            "lost transactions not replayed: not replayable, or a result differed"),
        new Counter("connguard.commit.outcomes.resolved", "{commit}", Counts.COMMIT_OUTCOMES_RESOLVED,
            "COMMITs whose reply was lost and whose outcome the agent learnt from the server"),
        new Counter("connguard.failovers.followed", "{connection}", Counts.FAILOVERS_FOLLOWED,
            "connections moved to the new primary after a failover (the driver's own, or off a read-only server)"),
        new Counter("connguard.connections.guarded", "{connection}", Counts.CONNECTIONS_GUARDED,
            "physical connections the agent has guarded since start"));
  }
}
