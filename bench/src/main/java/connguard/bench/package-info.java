/**
 * JMH benchmarks of the agent's cost per JDBC call, and the programs that compare arms (no agent,
 * a no-op agent, connguard): startup times, memory, and failover times on database servers of
 * their own ({@link connguard.bench.ScratchServer}). Measures agent/target/connguard.jar from outside:
 * depends on JMH, the drivers and HikariCP, and on the agent's classes only in
 * {@link connguard.bench.floor}.
 */
package connguard.bench;
