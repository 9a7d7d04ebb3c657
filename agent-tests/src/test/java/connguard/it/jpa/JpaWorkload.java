package connguard.it.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import connguard.examples.load.AgentCounters;
import connguard.examples.load.UnitPacing;
import connguard.examples.load.UnitReport;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;

/**
 * The JPA app for the child JVM: what a Spring Data JPA service does, without Spring. Hibernate
 * ORM over a HikariCP pool; {@code threads} workers each run @Transactional-style units of work
 * for a bounded time while the test kills their sessions and lets idle ones time out:
 *
 * <ol>
 *   <li>outside any transaction (autocommit), a {@code count ... like :p escape '\'}, what
 *       {@code findBy...Containing} sends;
 *   <li>{@code begin()}; the same {@code like} query as a list (the transaction's first statement);
 *       the worker's own account through {@code getReference} (a Hibernate proxy made by Byte Buddy,
 *       loaded by its getter, as Spring Data's {@code getReferenceById});
 *   <li>{@code persist} of a new {@link Account} (sequence id: inserted at flush, batched) and of a
 *       {@link Transfer} (identity id: inserted at once, with generated keys), both carrying the
 *       unit's key;
 *   <li>an update of the worker's own account ({@code @Version}): balance + 1, last_key = the key;
 *   <li>{@code flush()}, {@code commit()}. On an exception: {@code rollback()} if active, classify.
 * </ol>
 *
 * <p>Each worker updates only its own account, so no failure comes from contention: every failure
 * is the connection's. The child reports what happened (the phase, the exception chain); the test
 * judges it ({@link UnitOutcomes#category}).
 *
 * <p>The test creates the schema (running the Boot ledger's Flyway migration) and one account per
 * worker (id jpa.accountBase + worker), as a migration tool does; Hibernate boots without touching
 * the database. Stdout: {@code STARTED} once
 * the EntityManagerFactory is built, one {@code JPA k=v ...} line
 * at the end, then {@code CLOSED} once the EntityManagerFactory and the pool are closed (the JVM
 * then lives on for jpa.holdMillis, so the test can count sessions a leak inside it keeps open).
 * jpa.keys gets each unit's outcome in {@link UnitReport}'s lines; jpa.traces the full stack
 * traces of the first failures. Everything else goes to stderr.
 *
 * <p>System properties: jpa.url, jpa.db (postgres|mariadb), jpa.dbMajor and jpa.dbMinor (the
 * server's version, for the dialect), jpa.schema (PostgreSQL: the tables' schema), jpa.accountBase,
 * jpa.threads (4), jpa.seconds (20), jpa.seed, jpa.keys, jpa.traces,
 * jpa.burstMillis/jpa.idleMillis (every worker stops for idleMillis after each burst, so the
 * server's idle timeout ends the pooled sessions), jpa.thinkMillis (a short stop before one unit in
 * six: longer than PostgreSQL's idle_session_timeout in the test, shorter than HikariCP's 500 ms
 * alive-bypass window, so the dead session reaches the app), jpa.holdMillis.
 */
public final class JpaWorkload {
  static final int MAX_UNITS_PER_THREAD = 100_000;

  /** The worker's own account and the new accounts it opens; id from a sequence (JPA AUTO). */
  @Entity(name = "Account")
  @Table(name = "account")
  public static class Account {
    @Id
    // Named, so that Hibernate alone and Spring Boot (whose naming strategy lowercases) agree with
    // the migration on MariaDB, whose sequence names are case-sensitive.
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_seq")
    @SequenceGenerator(name = "account_seq", sequenceName = "account_seq", allocationSize = 50)
    Long id;
    @Column(name = "business_key", nullable = false, length = 64)
    String businessKey;
    @Column(name = "worker", nullable = false)
    int worker;
    @Column(name = "balance", nullable = false)
    long balance;
    @Column(name = "last_key", length = 64)
    String lastKey;
    @Version
    @Column(name = "version", nullable = false)
    long version;

    public Account() {}

    Account(String businessKey, int worker) {
      this.businessKey = businessKey;
      this.worker = worker;
    }

    // Accessors: a lazy reference (getReference) is a Byte Buddy proxy that loads on a method call.
    public long getBalance() {
      return balance;
    }

    public void setBalance(long balance) {
      this.balance = balance;
    }

    public void setLastKey(String lastKey) {
      this.lastKey = lastKey;
    }
  }

  /** One per unit of work; id from an identity column, so Hibernate inserts it at persist(). */
  @Entity(name = "Transfer")
  @Table(name = "transfer")
  public static class Transfer {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "business_key", nullable = false, length = 64)
    String businessKey;
    @Column(name = "account_id", nullable = false)
    long accountId;
    @Column(name = "amount", nullable = false)
    long amount;

    public Transfer() {}

    Transfer(String businessKey, long accountId, long amount) {
      this.businessKey = businessKey;
      this.accountId = accountId;
      this.amount = amount;
    }
  }

  private final String url = System.getProperty("jpa.url");
  private final boolean mariadb = "mariadb".equals(System.getProperty("jpa.db"));
  private final String schema = System.getProperty("jpa.schema");
  private final int threads = Integer.getInteger("jpa.threads", 4);
  private final long seconds = Long.getLong("jpa.seconds", 20);
  private final long seed = Long.getLong("jpa.seed", System.nanoTime());
  // Diagnostics only: false filters on the worker column instead of "like :p escape '\'" (see
  // JpaServiceIT). Hibernate writes a backslash into the SQL of every like on MariaDB, with or
  // without an escape clause, so only dropping the like takes the backslash out.
  private final boolean like = Boolean.parseBoolean(System.getProperty("jpa.like", "true"));

  private final LongAdder units = new LongAdder();
  private final LongAdder committed = new LongAdder();
  private final long accountBase = Long.getLong("jpa.accountBase", 1_000_000);
  private EntityManagerFactory emf;
  private HikariDataSource dataSource;
  private UnitPacing pacing;
  /** JPA's exceptions (Hibernate's are JPA's) are the framework's: what the app's code is meant to get. */
  private final UnitReport report = new UnitReport(t -> t instanceof PersistenceException);

  // Hibernate logs through JUL here (no other backend on the class path): WARN and up is what an
  // operator would see, and what shows a driver or agent problem.
  private static final Logger HIBERNATE_LOG = Logger.getLogger("org.hibernate");

  public static void main(String[] args) throws Exception {
    HIBERNATE_LOG.setLevel(Level.WARNING);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    JpaWorkload w = new JpaWorkload();
    w.start();
    out.println("STARTED");
    String summary = w.run();
    out.println(summary);
    w.close();
    out.println("CLOSED");
    out.flush();
    // Every EntityManager, the factory and the pool are closed, the JVM still lives: the test
    // counts the sessions left on the server, which only a leak inside this JVM can keep open.
    Thread.sleep(Long.getLong("jpa.holdMillis", 6000));
    System.exit(0);
  }

  private void start() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(threads + 1);
    config.setConnectionTimeout(10_000);
    config.setValidationTimeout(2000);
    // No connection at start-up: the pool fills in the background and retries a connection whose
    // set-up failed. A fail-fast first connection, made while this JVM is still cold, can idle
    // past the test's 300 ms idle_session_timeout before the pool's set-up calls reach it, and
    // the pool then gives up on start (with or without the agent).
    config.setInitializationFailTimeout(-1);
    config.setPoolName("jpa");
    // The server's idle limit for this session, as spring.datasource.hikari.connection-init-sql
    // sets it: HikariCP runs it last in its set-up, so the limit cannot end a session the pool is
    // still setting up; the agent must restore it on every replacement (a SET it recorded).
    config.setConnectionInitSql(System.getProperty("jpa.initSql"));
    dataSource = new HikariDataSource(config);
    // The schema and each worker's account are the test's (as a migration tool's in production),
    // and Hibernate boots without a connection: the first sessions the server sees are the
    // workers', after STARTED.
    HibernatePersistenceConfiguration unit = new HibernatePersistenceConfiguration("connguard-jpa-it")
        .managedClasses(Account.class, Transfer.class)
        .schemaToolingAction(Action.NONE)
        .property("hibernate.boot.allow_jdbc_metadata_access", false)
        .property("jakarta.persistence.database-product-name", mariadb ? "MariaDB" : "PostgreSQL")
        .property("jakarta.persistence.database-major-version", Integer.getInteger("jpa.dbMajor"))
        .property("jakarta.persistence.database-minor-version", Integer.getInteger("jpa.dbMinor"))
        // Given as an object, as Spring Boot hands its DataSource to Hibernate.
        .property("jakarta.persistence.nonJtaDataSource", dataSource)
        // What production Spring configurations commonly set: inserts and versioned updates go
        // through addBatch/executeBatch; Hibernate logs and clears JDBC warnings after each call.
        .property("hibernate.jdbc.batch_size", 5)
        .property("hibernate.order_inserts", true)
        .property("hibernate.order_updates", true)
        .property("hibernate.jdbc.log.warnings", true);
    if (schema != null && !schema.isEmpty()) {
      unit.defaultSchema(schema);
    }
    emf = unit.createEntityManagerFactory();
  }

  private String run() throws InterruptedException {
    pacing = UnitPacing.fromSystemProperties();     // its cycle starts with the units
    UnitPacing.runWorkers(threads, "jpa", seconds, this::work);
    try {
      report.write();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the keys or traces", e);
    }
    return summary();
  }

  private void close() {
    emf.close();
    // Hibernate does not close a DataSource it was given; the app (Spring) does.
    dataSource.close();
  }

  private void work(int worker, long endNanos) {
    Random random = new Random(seed * 31 + worker);
    for (int seq = 0; seq < MAX_UNITS_PER_THREAD && pacing.beforeUnit(random, endNanos); seq++) {
      String key = "k_" + worker + "_" + seq;
      units.increment();
      unitOfWork(worker, key);
    }
  }

  /** One @Transactional-style unit of work; records its outcome, never throws. */
  private void unitOfWork(int worker, String key) {
    // findByBusinessKeyContaining("k_3_") as Spring Data runs it; or findByIdLessThan(base).
    // Neither loads the worker's own account: getReference below must give a proxy.
    String filter = like ? "a.businessKey like :p escape '\\'" : "a.id < :p";
    Object value = like ? "%" + escapeLike("k_" + worker + "_") + "%" : (Object) accountBase;
    String phase = "autocommit-read";
    EntityManager em = null;
    try {
      em = emf.createEntityManager();
      // Outside a transaction: Hibernate runs it on a pooled connection in autocommit.
      em.createQuery("select count(a) from Account a where " + filter, Long.class)
          .setParameter("p", value)
          .getSingleResult();
      em.close();

      em = emf.createEntityManager();
      EntityTransaction tx = em.getTransaction();
      phase = "begin";
      tx.begin();
      phase = "first-statement";
      em.createQuery("select a from Account a where " + filter + " order by a.id desc", Account.class)
          .setParameter("p", value)
          .setMaxResults(3)
          .getResultList();
      phase = "find";
      // getReferenceById, as Spring Data's: a Hibernate proxy (Byte Buddy), loaded by the getter.
      Account own = em.getReference(Account.class, accountBase + worker);
      long balance = own.getBalance();
      if (seq(key) == 0) {
        System.err.println("jpa: worker " + worker + " holds its account through " + own.getClass().getName());
      }
      phase = "persist";
      em.persist(new Account(key, worker));
      em.persist(new Transfer(key, accountBase + worker, 1));   // identity: inserted now
      own.setBalance(balance + 1);
      own.setLastKey(key);
      phase = "flush";
      em.flush();
      phase = "commit";
      tx.commit();
      committed.increment();
      report.ok(key);
    } catch (RuntimeException e) {
      say(phase, key, e);
      report.failed(key, phase, e);
      rollbackIfActive(em, key);
    } finally {
      if (em != null && em.isOpen()) {
        em.close();
      }
    }
  }

  private void rollbackIfActive(EntityManager em, String key) {
    if (em == null) {
      return;
    }
    try {
      if (em.isOpen() && em.getTransaction().isActive()) {
        em.getTransaction().rollback();
      }
    } catch (RuntimeException e) {
      // Judged by UnitOutcomes.category (HikariCP may have closed its proxy's connection).
      say("rollback", key, e);
      report.failed(key, "rollback", e);
    }
  }

  /** One stderr line per failure, beside the report. */
  private static void say(String phase, String key, Throwable e) {
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    System.err.println("jpa: failure phase=" + phase + " key=" + key + " " + e.getClass().getName() + ": " + first);
  }

  private static int seq(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('_') + 1));
  }

  /** Spring Data's escaping for {@code Containing}: backslash before \, _ and %. */
  static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
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
