package connguard.heal.check;

import connguard.heal.call.OwnCalls;
import java.sql.Connection;

/** Is an idle connection still alive? One bounded round trip through the driver's own isValid. */
public final class Validator {
  private final int timeoutSeconds;

  public Validator(long timeoutMillis) {
    // JDBC's isValid takes whole seconds; round up so a short timeout never becomes "no timeout" (0).
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeoutMillis + 999) / 1000));
  }

  /**
   * False only when the driver says the connection is gone. A driver whose isValid throws is
   * taken at its word elsewhere: we proceed as if we had not asked, exactly as without the agent.
   */
  public boolean isAlive(Object connection) {
    OwnCalls.enter();     // the agent's own probe: its answer stands (see LogicalConnection.afterValidity)
    try {
      return ((Connection) connection).isValid(timeoutSeconds);
    } catch (Throwable t) {
      return true;
    } finally {
      OwnCalls.exit();
    }
  }
}
