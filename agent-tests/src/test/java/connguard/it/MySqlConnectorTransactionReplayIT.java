package connguard.it;

/** {@link TransactionReplayIT} on MariaDB through MySQL Connector/J. */
class MySqlConnectorTransactionReplayIT extends MariaDbTransactionReplayIT {
  @Override String url() {
    return db.mysqlUrl(user);
  }
}
