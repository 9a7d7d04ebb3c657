package connguard.metrics;

import connguard.stats.Stats;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's meters: one table of names, units and meanings for Micrometer and OpenTelemetry
 * alike. The counters are the JMX MBean's (DeadConnectionsDetected becomes
 * {@code connguard.dead.connections.detected}), for the whole JVM: {@link Stats} keeps one set.
 * The two gauges have one series per server ({@link ServerTags}).
 */
final class Meters {
  static final String OPEN = "connguard.connections.open";
  static final String OPEN_MEANING = "guarded connections to this server the app has not closed yet";
  static final String OLDEST_IDLE = "connguard.connections.oldest.idle";
  static final String OLDEST_IDLE_MEANING = "how long the longest-idle open guarded connection to this server has been idle";

  private Meters() {}

  /** One counter of {@link Stats}, read (never written) when the app's metrics are scraped. */
  static final class Counter {
    final String name;
    final String meaning;
    /** OpenTelemetry's unit: an annotation in braces, as its conventions count things. */
    final String otelUnit;
    final LongAdder source;

    Counter(String name, String otelUnit, LongAdder source, String meaning) {
      this.name = name;
      this.meaning = meaning;
      this.otelUnit = otelUnit;
      this.source = source;
    }
  }

  static List<Counter> counters(Stats stats) {
    return Arrays.asList(
        new Counter("connguard.dead.connections.detected", "{connection}", stats.deadConnectionsDetected,
            "connections found dead, by validation or by a failed call"),
        new Counter("connguard.reconnects", "{connection}", stats.reconnects,
            "fresh physical connections opened to replace dead ones"),
        new Counter("connguard.statements.retried", "{call}", stats.statementsRetried,
            "calls re-executed on a fresh connection that then succeeded"),
        new Counter("connguard.retries.exhausted", "{call}", stats.retriesExhausted,
            "recoveries given up because maxRetries or retryWindow ran out"),
        new Counter("connguard.validations.failed", "{connection}", stats.validationsFailed,
            "idle connections found dead by validation before use"),
        new Counter("connguard.retries.refused", "{call}", stats.retriesRefused,
            "dead-connection failures passed to the app because re-executing was not safe"),
        new Counter("connguard.transactions.lost", "{transaction}", stats.transactionsLost,
            "transactions whose work was lost with their connection (the app got an error)"),
        new Counter("connguard.connections.recycled", "{connection}", stats.connectionsRecycled,
            "connections replaced quietly because they reached maxAge"),
        new Counter("connguard.transactions.replayed", "{transaction}", stats.transactionsReplayed,
            "lost transactions replayed on a fresh connection with every result verified"),
        new Counter("connguard.replays.refused", "{transaction}", stats.replaysRefused,
            "lost transactions not replayed: not replayable, or a result differed"),
        new Counter("connguard.commit.outcomes.resolved", "{commit}", stats.commitOutcomesResolved,
            "COMMITs whose reply was lost and whose outcome the agent learnt from the server"),
        new Counter("connguard.failovers.followed", "{connection}", stats.failoversFollowed,
            "connections moved to the new primary after a failover (the driver's own, or off a read-only server)"),
        new Counter("connguard.connections.guarded", "{connection}", stats.connectionsGuarded,
            "physical connections the agent has guarded since start"));
  }
}
