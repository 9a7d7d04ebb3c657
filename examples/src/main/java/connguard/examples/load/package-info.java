/**
 * What the JPA services under fire share (agent-tests' Hibernate workload and examples-boot's
 * Spring Boot ledger): how a unit's outcome is reported, how the workers pace themselves, and the
 * agent's counters as one line. JDK only: each app brings its own framework.
 */
package connguard.examples.load;
