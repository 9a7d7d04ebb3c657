/**
 * The core promise: a connection killed, timed out by the server, restarted under the app or cut
 * off is healed, and only what is safe runs again (a read, the first statement of a transaction, a
 * call proven unsent, a write declared idempotent). {@link connguard.it.recovery.RecoveryIT} holds
 * the behaviours, {@link connguard.it.recovery.UsableAfterErrorIT} what the app gets when a call
 * does not run again and that its Connection works on; each is one suite with a small subclass per
 * database and driver, on a {@link connguard.it.recovery.DatabaseSuite}. Beside them: long idles,
 * the reads real tools send, outages past {@code retryWindow}, replies lost after the server ran
 * the request, H2 restarts.
 */
package connguard.it.recovery;
