/**
 * A ledger service under fire, for agent-tests' {@code BootJpaServiceIT}: a Spring Boot app (Spring
 * Data JPA on Hibernate, Boot's HikariCP, Flyway migrating at start) whose workers run
 * {@code @Transactional} units of work while the test kills their sessions. {@link
 * connguard.examples.ledger.LedgerWorkload} is its main; it reports every unit's outcome, and the
 * test judges them against the database. Nothing in it knows about connguard.
 */
package connguard.examples.ledger;
