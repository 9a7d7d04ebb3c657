/**
 * Agent tests: each test starts real child JVMs ({@link connguard.it.AppJvm}, running
 * {@link connguard.it.JdbcShell}) with {@code -javaagent:agent/target/connguard.jar} and breaks
 * their connections the way production does: {@link connguard.it.PgAdmin#terminate},
 * {@link connguard.it.H2Tcp#kill}, {@link connguard.it.FaultProxy}, and a
 * {@link connguard.it.PgBouncer} of the test's own (console KILL, idle timeouts, killed and
 * restarted).
 *
 * <p>No JDBC mocks, and no connguard class on the class path: the agent under test comes only
 * from its jar. Invariants are checked from the test JVM over a separate admin connection.
 */
package connguard.it;
