package connguard.heal;

import connguard.bridge.MethodKind;
import connguard.heal.call.Invoker;

/**
 * Running a refused statement once more where its connection now is, without a heal of ours: the
 * tail the two failover paths share ({@link StaleEndpoint} after it moved the connection to a
 * writable server, {@link DriverReconnected} on the driver's own new connection). Each says in
 * its own words what happened; the running, the booking and the counting are here.
 */
final class OnceMore {
  /** A failover path's answer when the failure is not its case: the caller goes on. */
  static final Object NOT_OURS = new Object();

  private OnceMore() {}

  /**
   * Runs the app's statement on its physical statement now, books the success on it and counts a
   * re-execution; throws what the second run threw, with the first failure suppressed in it.
   */
  static Object run(LogicalStatement statement, String method, Object[] args, Throwable first) throws Throwable {
    try {
      Object result = Invoker.invoke(statement.physicalForRetry(), method, args);
      statement.afterSuccess(MethodKind.STMT_EXECUTE, method, args, result);
      statement.conn.counts.statementsRetried.increment();
      return result;
    } catch (Throwable again) {
      again.addSuppressed(first);
      throw again;
    }
  }
}
