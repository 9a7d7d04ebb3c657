package connguard.examples.boot;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot app: Spring Data JPA on Hibernate, HikariCP as Boot configures it, Flyway's
 * migrations at start (src/main/resources: application.properties, db/migration), Actuator with
 * the Prometheus registry on Boot's web server. Nothing in it knows about connguard.
 */
@SpringBootApplication
public class JobsApplication {
  /**
   * Starts the app on this database: the context is refreshed, the schema migrated, the pool open,
   * Actuator on a free port of 127.0.0.1 (application.properties).
   */
  static ConfigurableApplicationContext start(String url, String user, String password) {
    return on(url, user, password).run();
  }

  /** The app on this database, not started yet. */
  static SpringApplicationBuilder on(String url, String user, String password) {
    Map<String, Object> database = new HashMap<>();
    database.put("spring.datasource.url", url);
    if (user != null) {
      database.put("spring.datasource.username", user);
      database.put("spring.datasource.password", password);
    }
    return new SpringApplicationBuilder(JobsApplication.class).properties(database);
  }
}
