package connguard.examples.ledger;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot app of {@link LedgerWorkload}: Spring Data JPA on Hibernate, HikariCP as Boot
 * configures it, Flyway migrating {@code db/ledger/{vendor}} at start. Its own package, so that it
 * and the jobs demo never scan each other.
 */
@SpringBootApplication
public class LedgerApplication {
  static ConfigurableApplicationContext start(Map<String, Object> properties) {
    return new SpringApplicationBuilder(LedgerApplication.class).properties(properties).run();
  }
}
