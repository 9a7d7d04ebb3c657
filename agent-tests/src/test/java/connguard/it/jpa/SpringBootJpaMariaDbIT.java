package connguard.it.jpa;

/**
 * {@link JpaMariaDbIT} with the Spring Boot ledger service instead of Hibernate alone: Boot's
 * HikariCP, Spring's transactions and exception translation, Flyway migrating the schema at start.
 */
class SpringBootJpaMariaDbIT extends JpaMariaDbIT {
  @Override
  JpaApp app() {
    return JpaApp.SPRING_BOOT;
  }
}
