package connguard.stats;

/** The JMX view; attribute names are part of the product contract (DEVELOPERS.md). */
public interface StatsMBean {
  long getDeadConnectionsDetected();

  long getReconnects();

  long getStatementsRetried();

  long getRetriesExhausted();

  long getValidationsFailed();

  long getRetriesRefused();

  long getTransactionsLost();

  long getConnectionsRecycled();

  long getTransactionsReplayed();

  long getReplaysRefused();

  long getCommitOutcomesResolved();

  long getConnectionsGuarded();

  /** Connections moved off a read-only server (a standby, a demoted primary) onto a writable one. */
  long getFailoversFollowed();

  /** How long the last of those took, from the refused write to the writable connection, in ms (0 if none). */
  long getLastFailoverMillis();

  /** Gauge: guarded connections the app has not closed yet. */
  long getOpenConnections();

  /** Gauge: how long the longest-idle open guarded connection has been idle, in ms (0 if none). */
  long getOldestIdleMillis();

  /** When the last recovery or refusal happened (epoch ms), 0 if none yet. */
  long getLastRecoveryEpochMillis();

  /** What the last recovery or refusal was, in one line; empty if none yet. */
  String getLastRecovery();
}
