/**
 * Keeping the app's own Connection and Statement objects usable: per-object state and dispatch
 * ({@link connguard.heal.GuardDispatcher}, {@link connguard.heal.LogicalConnection},
 * {@link connguard.heal.LogicalStatement}), what happens after a connection is found dead
 * ({@link connguard.heal.Recovery}: classifier, policy, heal, re-run; {@link connguard.heal.SurfacedErrors}
 * when it does not re-run), reconnecting ({@link connguard.heal.Reconnector},
 * {@link connguard.heal.ConnectionFactory}) and restoring the session ({@link connguard.heal.SessionState}).
 * Its rooms: {@code check} (before use: is it due a validation or a recycle?), {@code call} (the
 * agent calling the driver), {@code recipe} (re-creating a statement), {@code replay} (the open
 * transaction: recorded, replayed, its COMMIT's outcome resolved).
 *
 * <p>The retry decision itself is {@link connguard.policy.RetryPolicy}'s; whether a failure means
 * a dead connection is {@link connguard.classify.DeadConnectionClassifier}'s.
 *
 * <p>May use java.sql, config, classify, policy, tuning, stats, metrics and log; never Byte Buddy (it runs in
 * the app's threads, through the bridge, long after weaving).
 */
package connguard.heal;
