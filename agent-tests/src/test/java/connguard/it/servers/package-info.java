/**
 * The database side of a test. The machine's PostgreSQL and MariaDB
 * ({@link connguard.it.servers.Databases}: a missing one skips loudly, or fails under
 * {@code CONNGUARD_REQUIRE_DBS=1}), each seen through an admin connection of the test's own
 * ({@link connguard.it.servers.SqlAdmin}) that names, kills and counts an app's sessions and checks
 * invariants. Servers a test starts itself and may stop, crash and restart:
 * {@link connguard.it.servers.PrivatePostgres}, {@link connguard.it.servers.PrivateMariaDb},
 * {@link connguard.it.servers.H2Tcp}, {@link connguard.it.servers.PgBouncer}. Their own tests
 * check the admin side and the private servers.
 *
 * <p>Depends on {@code harness} only.
 */
package connguard.it.servers;
