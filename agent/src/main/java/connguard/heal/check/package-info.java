/**
 * Checks before a round trip: is the connection due an idle validation or a recycle, and which
 * calls does a lost transaction refuse ({@link connguard.heal.check.UseCheck}, pure); the idle
 * probe itself ({@link connguard.heal.check.Validator}); whether a server is read-only, asked after
 * it refused a write as such ({@link connguard.heal.check.ServerRole});
 * and URLs whose driver fails over by itself, where no check of ours may pre-empt it
 * ({@link connguard.heal.check.DriverFailover}).
 *
 * <p>May use java.sql, {@code bridge.MethodKind}, {@code policy.Dialect}, {@code tuning.JdbcUrl} and {@code heal.call}; never the rest of heal: the state lives there, the
 * rules live here.
 */
package connguard.heal.check;
