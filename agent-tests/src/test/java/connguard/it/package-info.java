/**
 * Agent tests: real child JVMs with {@code -javaagent:agent/target/connguard.jar} against real
 * servers, their connections broken the way production breaks them. No JDBC mocks, and no
 * connguard class on the class path: the agent under test comes only from its jar. Invariants are
 * checked from the test JVM over an admin connection of its own, not only from what the app
 * printed.
 *
 * <p>One package a concern; the test that proves a behaviour is in the package named for it:
 * <ul>
 *   <li>{@code harness}: the app under test (a child JVM running a JDBC shell) and how a test
 *       drives it;
 *   <li>{@code servers}: the databases, the admin side of each, and servers a test may crash;
 *   <li>{@code faults}: the loopback proxy that cuts, refuses, blackholes, slows and loses replies;
 *   <li>{@code recovery}: a dead connection is healed and only what is safe runs again; what the
 *       app gets when it does not;
 *   <li>{@code pools}: HikariCP and PgBouncer between the app and the server;
 *   <li>{@code replay}: {@code transactionReplay} and {@code resolveCommitOutcome};
 *   <li>{@code loading}: how the agent gets into a JVM and what it weaves: start-up, attach, class
 *       loaders, drivers that wrap, proxy or generate their connections;
 *   <li>{@code operability}: what an operator runs and sees: the CLI, {@code doctor}, options,
 *       logs, the MBean, the server timeouts the agent reads;
 *   <li>{@code chaos}: many faults and many connections at once, and a long life;
 *   <li>{@code jpa}: a Hibernate service under fire.
 * </ul>
 * Tests depend on {@code harness}, {@code servers} and {@code faults}, never on another package
 * of tests.
 */
package connguard.it;
