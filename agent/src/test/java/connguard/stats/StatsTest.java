package connguard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The counters, one set per server, and the MBean's JVM-wide totals: their sums. */
class StatsTest {
  private final Stats stats = new Stats();

  @Test
  void eachServerHasOneSetOfCountsKeptApart() {
    Counts a = stats.countsOf("db-a");
    Counts b = stats.countsOf("db-b");
    assertSame(a, stats.countsOf("db-a"), "every connection to a server counts in the same set");
    assertNotSame(a, b);
    a.reconnects.add(2);
    b.reconnects.increment();
    b.transactionsLost.increment();
    assertEquals(2, a.reconnects.sum());
    assertEquals(1, b.reconnects.sum());
    assertEquals(0, a.transactionsLost.sum());
  }

  @Test
  void theMBeansTotalsAreTheSumsOfEveryServer() {
    Counts a = stats.countsOf("db-a");
    Counts b = stats.countsOf("db-b");
    for (int i = 0; i < Counts.SIZE; i++) {
      a.get(i).add(i + 1);
      b.get(i).add(100);
    }
    StatsMBean mbean = stats;
    assertEquals(101, mbean.getDeadConnectionsDetected());
    assertEquals(102, mbean.getReconnects());
    assertEquals(103, mbean.getStatementsRetried());
    assertEquals(104, mbean.getRetriesExhausted());
    assertEquals(105, mbean.getValidationsFailed());
    assertEquals(106, mbean.getRetriesRefused());
    assertEquals(107, mbean.getTransactionsLost());
    assertEquals(108, mbean.getConnectionsRecycled());
    assertEquals(109, mbean.getTransactionsReplayed());
    assertEquals(110, mbean.getReplaysRefused());
    assertEquals(111, mbean.getCommitOutcomesResolved());
    assertEquals(112, mbean.getFailoversFollowed());
    assertEquals(113, mbean.getConnectionsGuarded());
  }

  @Test
  void eachCounterFieldIsTheOneItsIndexNames() {
    Counts c = new Counts();
    assertSame(c.deadConnectionsDetected, c.get(Counts.DEAD_CONNECTIONS_DETECTED));
    assertSame(c.reconnects, c.get(Counts.RECONNECTS));
    assertSame(c.statementsRetried, c.get(Counts.STATEMENTS_RETRIED));
    assertSame(c.retriesExhausted, c.get(Counts.RETRIES_EXHAUSTED));
    assertSame(c.validationsFailed, c.get(Counts.VALIDATIONS_FAILED));
    assertSame(c.retriesRefused, c.get(Counts.RETRIES_REFUSED));
    assertSame(c.transactionsLost, c.get(Counts.TRANSACTIONS_LOST));
    assertSame(c.connectionsRecycled, c.get(Counts.CONNECTIONS_RECYCLED));
    assertSame(c.transactionsReplayed, c.get(Counts.TRANSACTIONS_REPLAYED));
    assertSame(c.replaysRefused, c.get(Counts.REPLAYS_REFUSED));
    assertSame(c.commitOutcomesResolved, c.get(Counts.COMMIT_OUTCOMES_RESOLVED));
    assertSame(c.failoversFollowed, c.get(Counts.FAILOVERS_FOLLOWED));
    assertSame(c.connectionsGuarded, c.get(Counts.CONNECTIONS_GUARDED));
  }

  @Test
  void aFailoverCountsOnItsServerAndIsTheLastFailover() {
    Counts a = stats.countsOf("db-a");
    stats.recordFailover(a, 42);
    assertEquals(1, a.failoversFollowed.sum());
    assertEquals(1, stats.getFailoversFollowed());
    assertEquals(42, stats.getLastFailoverMillis());
  }

  @Test
  void theStatsLineShowsTheTotals() {
    stats.countsOf("db-a").reconnects.add(2);
    stats.countsOf("db-b").reconnects.add(3);
    String line = stats.summary();
    assertTrue(line.contains(" reconnects=5 "), line);
  }
}
