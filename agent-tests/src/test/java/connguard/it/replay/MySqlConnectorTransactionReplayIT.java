package connguard.it.replay;

/** {@link TransactionReplayIT} on MariaDB through MySQL Connector/J. */
class MySqlConnectorTransactionReplayIT extends MariaDbTransactionReplayIT {
  @Override String url() {
    return db.mysqlUrl(user);
  }

  @Override boolean resultSetsOutliveTheirConnection() {
    return false;     // "Operation not allowed after ResultSet closed" once we close the dead connection
  }
}
