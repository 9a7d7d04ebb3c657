/**
 * Pools and poolers between the app and the server. HikariCP 5 and 6
 * ({@link connguard.it.pools.HikariIT}, one suite with a subclass per database and driver): the
 * agent guards the driver's connection below the pool, so a failure is healed once, and the pool's
 * own checks and retirement keep working. PgBouncer, in session and transaction pooling: its own
 * closes are healed like a server's.
 */
package connguard.it.pools;
