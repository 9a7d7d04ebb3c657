/**
 * Checks before a round trip: the idle probe ({@link connguard.heal.check.Validator}),
 * and URLs whose driver fails over by itself, where no check of ours may pre-empt it
 * ({@link connguard.heal.check.DriverFailover}).
 *
 * <p>May use java.sql and {@code heal.call}; never the rest of heal: the state lives there, the
 * rules live here.
 */
package connguard.heal.check;
