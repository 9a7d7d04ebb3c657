/**
 * JMH benchmarks of the agent's cost per JDBC call, and the programs that compare arms (no agent,
 * a no-op agent, connguard) and startup times. Measures agent/target/connguard.jar from outside:
 * depends on JMH, the drivers and HikariCP, and on the agent's classes only in
 * {@link connguard.bench.floor}.
 */
package connguard.bench;
