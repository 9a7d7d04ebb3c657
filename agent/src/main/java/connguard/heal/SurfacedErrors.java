package connguard.heal;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

/**
 * The one rule for what the app sees when the agent does not heal a call, so that frameworks'
 * exception translators (Spring's, Hibernate's) and pools read it right:
 * <ul>
 *   <li>outcome unknown (a write or COMMIT that may have happened): the driver's own exception,
 *       its type, SQLState and message untouched; the agent's account rides along as a suppressed
 *       exception ({@link #outcomeUnknown});</li>
 *   <li>the server certainly rolled the transaction back, and the agent's connection heals on its
 *       next use: SQLState 40001 in a {@link SQLTransactionRollbackException}, the state pools keep
 *       a connection on and retry frameworks retry the unit of work on ({@link #rolledBack});</li>
 *   <li>never a plain {@code SQLException} with an 08 state the agent made up.</li>
 * </ul>
 */
public final class SurfacedErrors {
  private SurfacedErrors() {}

  /** The server rolled the transaction back: nothing of it happened; run it again. */
  public static SQLException rolledBack(String message, Throwable cause) {
    return new SQLTransactionRollbackException(message, "40001", cause);
  }

  /** The driver's error stands; {@code account} says what the agent did and did not do. */
  public static Throwable outcomeUnknown(Throwable driverError, String account) {
    driverError.addSuppressed(new SQLException(account));
    return driverError;
  }
}
