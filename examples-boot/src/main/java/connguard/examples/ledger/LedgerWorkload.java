package connguard.examples.ledger;

import connguard.examples.load.AgentCounters;
import connguard.examples.load.UnitPacing;
import connguard.examples.load.UnitReport;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The ledger service under fire, started by agent-tests' {@code BootJpaServiceIT} in a child JVM
 * ({@code java -Dloader.main=connguard.examples.ledger.LedgerWorkload -jar
 * connguard-examples-boot-*.jar}): the Boot app starts (Flyway migrates through a connection of
 * its own, Hibernate boots, the pool fills in the background), seeds each worker's account, then
 * {@code jpa.threads} workers run units of work for {@code jpa.seconds} while the test kills
 * their sessions and the server ends idle ones. A unit: {@link LedgerService#countOpenedBy}
 * outside any transaction of the app's, then {@link LedgerService#transfer} in one.
 *
 * <p>The same protocol and system properties as agent-tests' Hibernate workload ({@code
 * connguard.it.jpa.JpaWorkload}): stdout {@code STARTED}, one {@code JPA k=v ...} line (units,
 * committed, and every attribute of connguard's MBean when it is there), {@code CLOSED} once the
 * context (and with it the pool) is closed; the JVM then lives on for {@code jpa.holdMillis}.
 * {@code jpa.keys} gets {@link UnitReport}'s lines per unit, {@code jpa.traces} the first stack traces.
 */
public final class LedgerWorkload {
  static final int MAX_UNITS_PER_THREAD = 100_000;

  private final String url = System.getProperty("jpa.url");
  private final boolean mariadb = "mariadb".equals(System.getProperty("jpa.db"));
  private final String schema = System.getProperty("jpa.schema");
  private final int threads = Integer.getInteger("jpa.threads", 4);
  private final long seconds = Long.getLong("jpa.seconds", 20);
  private final long seed = Long.getLong("jpa.seed", System.nanoTime());
  private final long accountBase = Long.getLong("jpa.accountBase", 1_000_000);

  private final LongAdder units = new LongAdder();
  private final LongAdder committed = new LongAdder();
  private final Map<Integer, String> ownReferenceClass = new ConcurrentHashMap<>();
  private ConfigurableApplicationContext app;
  private LedgerService service;
  private UnitPacing pacing;
  /** Spring's and JPA's exceptions are the framework's: what the app's code is meant to get. */
  private final UnitReport report = new UnitReport(t -> t instanceof DataAccessException
      || t instanceof TransactionException || t instanceof PersistenceException);

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    LedgerWorkload w = new LedgerWorkload();
    w.start();
    out.println("STARTED");
    String summary = w.run();
    out.println(summary);
    w.app.close();
    out.println("CLOSED");
    out.flush();
    // The context and its pool are closed, the JVM still lives: the test counts the sessions left
    // on the server, which only a leak inside this JVM can keep open.
    Thread.sleep(Long.getLong("jpa.holdMillis", 6000));
    System.exit(0);
  }

  private void start() {
    app = LedgerApplication.start(properties());
    service = app.getBean(LedgerService.class);
    service.seedOwnAccounts(accountBase, threads);
  }

  /** What a service's application.properties would say, for this test's database. */
  private Map<String, Object> properties() {
    Map<String, Object> p = new HashMap<>();
    // PostgreSQL: the ledger's schema as the URL's currentSchema, as apps name theirs.
    boolean ownSchema = schema != null && !schema.isEmpty();
    String appUrl = ownSchema ? url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema : url;
    p.put("spring.datasource.url", appUrl);
    p.put("spring.datasource.hikari.pool-name", "ledger");
    p.put("spring.datasource.hikari.maximum-pool-size", threads + 1);
    p.put("spring.datasource.hikari.connection-timeout", 10_000);
    p.put("spring.datasource.hikari.validation-timeout", 2000);
    // The server's idle limit for the pool's sessions (connection-init-sql runs last in HikariCP's
    // set-up, so it cannot end a session the pool is still setting up). No fail-fast first
    // connection: one made while this JVM is cold can idle past the limit before it is used.
    p.put("spring.datasource.hikari.connection-init-sql", System.getProperty("jpa.initSql"));
    p.put("spring.datasource.hikari.initialization-fail-timeout", -1);
    // Flyway on a connection of its own (spring.flyway.url), as apps with a migration user do:
    // the pool's idle limit is not the migration's.
    p.put("spring.flyway.url", url);
    p.put("spring.flyway.locations", "classpath:db/ledger/{vendor}");
    p.put("spring.flyway.table", "ledger_flyway_history");
    p.put("spring.flyway.baseline-on-migrate", false);
    if (ownSchema) {
      p.put("spring.flyway.schemas", schema);
    }
    // Hibernate boots from these instead of a connection of the pool (see above).
    p.put("spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access", false);
    p.put("spring.jpa.properties.jakarta.persistence.database-product-name", mariadb ? "MariaDB" : "PostgreSQL");
    p.put("spring.jpa.properties.jakarta.persistence.database-major-version", Integer.getInteger("jpa.dbMajor"));
    p.put("spring.jpa.properties.jakarta.persistence.database-minor-version", Integer.getInteger("jpa.dbMinor"));
    // What production configurations commonly set: inserts and versioned updates in JDBC batches.
    p.put("spring.jpa.properties.hibernate.jdbc.batch_size", 5);
    p.put("spring.jpa.properties.hibernate.order_inserts", true);
    p.put("spring.jpa.properties.hibernate.order_updates", true);
    p.put("spring.jpa.properties.hibernate.jdbc.log.warnings", true);
    return p;
  }

  private String run() throws InterruptedException, IOException {
    pacing = UnitPacing.fromSystemProperties();     // its cycle starts with the units
    UnitPacing.runWorkers(threads, "ledger", seconds, this::work);
    report.write();
    ownReferenceClass.forEach((w, c) -> System.err.println("ledger: worker " + w + " held its account through " + c));
    return summary();
  }

  private void work(int worker, long endNanos) {
    Random random = new Random(seed * 31 + worker);
    for (int seq = 0; seq < MAX_UNITS_PER_THREAD && pacing.beforeUnit(random, endNanos); seq++) {
      units.increment();
      unitOfWork(worker, "k_" + worker + "_" + seq);
    }
  }

  /** One unit; records its outcome, never throws. */
  private void unitOfWork(int worker, String key) {
    UnitPhase phase = new UnitPhase();
    try {
      phase.now("read");
      service.countOpenedBy(worker);
      phase.now("begin");
      ownReferenceClass.putIfAbsent(worker, service.transfer(worker, accountBase + worker, key, phase));
      committed.increment();
      report.ok(key);
    } catch (RuntimeException e) {
      // Spring rolled the transaction back before this; when that rollback itself failed, what
      // reaches the app is the rollback's exception.
      String at = e instanceof TransactionSystemException && String.valueOf(e.getMessage()).contains("roll back")
          ? "rollback" : phase.name();
      report.failed(key, at, e);
    }
  }

  private String summary() {
    StringJoiner line = new StringJoiner(" ", "JPA ", "");
    line.add("seed=" + seed);
    line.add("units=" + units.sum());
    line.add("committed=" + committed.sum());
    AgentCounters.addTo(line);
    return line.toString();
  }
}
