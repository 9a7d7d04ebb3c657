package connguard.it;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** {@link MySqlFamilyRecoveryIT} with MySQL Connector/J 9 against MariaDB. */
class MySqlConnectorIT extends MySqlFamilyRecoveryIT {
  /**
   * unwrap and isWrapperFor are left unwoven (identity) and so run on the app's own
   * ConnectionImpl, which the agent closed when it found it dead; Connector/J's isWrapperFor
   * checks for a closed connection first and throws 08003.
   */
  static final String UNWRAP_ON_CLOSED_OWNER = "agent gap: unwrap runs on the closed original"
      + " ConnectionImpl, whose isWrapperFor throws 08003";

  /**
   * Parameter setters go to the app's original ClientPreparedStatement until its next execute
   * re-creates it on the fresh connection; Connector/J closed that statement with its connection,
   * so setInt throws S1009 "No operations allowed after statement closed".
   */
  static final String SETTERS_ON_CLOSED_STATEMENT = "agent gap: parameter setters run on the"
      + " original PreparedStatement, closed with its dead connection (S1009)";

  @Override
  String url(String user) {
    return db.mysqlUrl(user);
  }

  @Override
  String connectionClass() {
    return "com.mysql.cj.jdbc.ConnectionImpl";
  }

  @Override
  @Test
  @Disabled(UNWRAP_ON_CLOSED_OWNER)
  void connectionStillUnwrapsToTheDriverTypeAfterAHeal() {
    super.connectionStillUnwrapsToTheDriverTypeAfterAHeal();
  }

  @Override
  @Test
  @Disabled(SETTERS_ON_CLOSED_STATEMENT)
  void preparedStatementTakesNewParametersAfterItsConnectionWasReplaced() {
    super.preparedStatementTakesNewParametersAfterItsConnectionWasReplaced();
  }
}
