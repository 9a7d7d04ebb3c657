/**
 * The core promise: a connection killed, timed out by the server, restarted under the app or cut
 * off is healed, and only what is safe runs again (a read, the first statement of a transaction, a
 * call proven unsent, a write declared idempotent). One behaviour suite per subject, one small
 * subclass per database and driver: the recovery suite, and
 * {@link connguard.it.recovery.UsableAfterErrorIT} (what the app gets when a call does not run
 * again, and that its Connection works on); beside them long idles, the reads real tools send,
 * outages past {@code retryWindow}, replies lost after the server ran the request, H2 restarts.
 */
package connguard.it.recovery;
