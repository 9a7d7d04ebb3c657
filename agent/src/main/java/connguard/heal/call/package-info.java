/**
 * The agent calling the driver: a woven method, named as the advice saw it, run on another object
 * ({@link connguard.heal.call.Invoker}, {@link connguard.heal.call.Call}), and the mark on the
 * agent's own calls so its advice lets them through ({@link connguard.heal.call.OwnCalls}).
 *
 * <p>The JDK only: every other room of heal builds on this one.
 */
package connguard.heal.call;
