/**
 * Failovers on private servers the tests start and stop: a PostgreSQL primary and its streaming
 * standbys behind an endpoint that moves or a standby that is promoted, two MariaDB servers behind
 * the driver's own {@code sequential:} failover, a server set read-only under the app, a MariaDB
 * primary and its replica switched over (behind {@code sequential:} or an endpoint that moves).
 * What the app's statements get, and what the servers hold afterwards.
 *
 * <p>Uses {@code harness}, {@code servers} and {@code faults}; no other package of tests.
 */
package connguard.it.failover;
