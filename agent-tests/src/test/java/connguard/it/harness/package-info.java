/**
 * The app under test and how a test drives it. {@link connguard.it.harness.AppJvm} starts a child
 * JVM, with or without the agent, running {@link connguard.it.harness.JdbcShell}: a plain JDBC app
 * that answers one line per command; {@link connguard.it.harness.Shell} is the test's end of that
 * conversation. {@link connguard.it.harness.ChildJvm} makes the child's command line and class
 * path (never a connguard class on it) and ends every child with the test JVM;
 * {@link connguard.it.harness.Deadline} bounds every wait.
 *
 * <p>Knows no database server and no fault: depends on no other package of the tests, except
 * that the shell can make the odd connections of {@code loading.drivers}.
 */
package connguard.it.harness;
