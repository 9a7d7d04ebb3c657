package connguard.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent did to the connections of one server: one set per server (see
 * {@link Stats#countsOf}), held by each connection to it, so a counting site increments one adder
 * and looks nothing up. The MBean shows their sums. Incremented only off the hot path (failures,
 * heals, new connections). Every counting site has its connection, so every count has a server:
 * a connection whose server is not known (no URL, metrics other than auto, past Servers.MAX)
 * counts under metrics' ServerTags.UNKNOWN, like any other.
 */
public final class Counts {
  // Indices for readers that go through every counter (the app's meters, the MBean's sums).
  public static final int DEAD_CONNECTIONS_DETECTED = 0;
  public static final int RECONNECTS = 1;
  public static final int STATEMENTS_RETRIED = 2;
  public static final int RETRIES_EXHAUSTED = 3;
  public static final int VALIDATIONS_FAILED = 4;
  public static final int RETRIES_REFUSED = 5;
  public static final int TRANSACTIONS_LOST = 6;
  public static final int CONNECTIONS_RECYCLED = 7;
  public static final int TRANSACTIONS_REPLAYED = 8;
  public static final int REPLAYS_REFUSED = 9;
  public static final int COMMIT_OUTCOMES_RESOLVED = 10;
  public static final int FAILOVERS_FOLLOWED = 11;
  public static final int CONNECTIONS_GUARDED = 12;
  public static final int SIZE = 13;

  private final LongAdder[] adders = fresh();

  /** A connection failure classified as "the connection is gone" (validation or a failed call). */
  public final LongAdder deadConnectionsDetected = adders[DEAD_CONNECTIONS_DETECTED];
  /** Fresh physical connections opened to replace dead ones. */
  public final LongAdder reconnects = adders[RECONNECTS];
  /** Calls re-executed on a fresh connection that then succeeded. */
  public final LongAdder statementsRetried = adders[STATEMENTS_RETRIED];
  /** Recoveries given up because maxRetries or retryWindow ran out. */
  public final LongAdder retriesExhausted = adders[RETRIES_EXHAUSTED];
  /** Idle connections found dead by validation before use. */
  public final LongAdder validationsFailed = adders[VALIDATIONS_FAILED];
  /** Dead-connection failures surfaced because re-execution was not safe. */
  public final LongAdder retriesRefused = adders[RETRIES_REFUSED];
  /** Transactions whose work was lost with their connection (the app got an error). */
  public final LongAdder transactionsLost = adders[TRANSACTIONS_LOST];
  /** Connections replaced quietly because they reached maxAge. */
  public final LongAdder connectionsRecycled = adders[CONNECTIONS_RECYCLED];
  /** Transactions lost with their connection, replayed on a fresh one with every result verified. */
  public final LongAdder transactionsReplayed = adders[TRANSACTIONS_REPLAYED];
  /** Lost transactions not replayed: not replayable (bounds, savepoints ...) or a result differed. */
  public final LongAdder replaysRefused = adders[REPLAYS_REFUSED];
  /** COMMITs whose reply was lost and whose outcome the agent established from the server. */
  public final LongAdder commitOutcomesResolved = adders[COMMIT_OUTCOMES_RESOLVED];
  /** Connections moved to the new primary (the driver's own failover, or off a read-only server). */
  public final LongAdder failoversFollowed = adders[FAILOVERS_FOLLOWED];
  /** Physical connections the agent has guarded since start (not the replacements). */
  public final LongAdder connectionsGuarded = adders[CONNECTIONS_GUARDED];

  private static LongAdder[] fresh() {
    LongAdder[] all = new LongAdder[SIZE];
    for (int i = 0; i < SIZE; i++) {
      all[i] = new LongAdder();
    }
    return all;
  }

  /** The counter at {@code index} (one of the constants above). */
  public LongAdder get(int index) {
    return adders[index];
  }
}
