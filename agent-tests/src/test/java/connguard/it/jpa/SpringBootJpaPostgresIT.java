package connguard.it.jpa;

/**
 * {@link JpaPostgresIT} with the Spring Boot ledger service instead of Hibernate alone: Boot's
 * HikariCP, Spring's transactions and exception translation, Flyway migrating the schema at start.
 */
class SpringBootJpaPostgresIT extends JpaPostgresIT {
  @Override
  JpaApp app() {
    return JpaApp.SPRING_BOOT;
  }
}
