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

  long getConnectionsGuarded();
}
