package connguard.examples;

import static connguard.examples.Demo.reason;
import static connguard.examples.Demo.say;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Spring's {@code JdbcTemplate}, as a billing run uses it: for each of {@value #CUSTOMERS}
 * customers it sums the invoices ({@code queryForObject}) and upserts the total
 * ({@code update(upsert)}: H2's {@code MERGE ... KEY}, PostgreSQL's {@code ON CONFLICT}, MySQL's
 * {@code ON DUPLICATE KEY}; safe to run twice). With env {@code JDBC_URL} it runs on your database,
 * and the fault is yours (see {@link ExternalDatabase}).
 *
 * <p>The DataSource is Spring's {@code SingleConnectionDataSource}: a {@code DriverManagerDataSource}
 * that keeps its one connection, as command-line tools and batch runs configure it. (A plain
 * {@code DriverManagerDataSource} connects anew for every call and would never meet the fault.)
 *
 * <p>The fault: half way through, while the run is idle, the database restarts. Without connguard
 * the next {@code JdbcTemplate} call fails (H2: 90067, which Spring translates into a
 * {@code DataAccessResourceFailureException}); with {@code -javaagent:connguard.jar=validateIdleAfter=250ms}
 * the connection is found dead before that call is sent and replaced underneath Spring.
 *
 * <p>The last line is {@code RESULT: ...}. Exit 0 only when an admin connection sees every
 * customer's total written exactly once and right; 1 when the run failed or the data is wrong; 2
 * when the demo itself could not run.
 */
public final class JdbcTemplateDemo {
  static final int CUSTOMERS = 20;
  static final int INVOICES_PER_CUSTOMER = 10;

  private final DemoDatabase db;
  /** What the run was doing, for the failure line. */
  private String step = "starting";

  private JdbcTemplateDemo(DemoDatabase db) {
    this.db = db;
  }

  public static void main(String[] args) {
    System.exit(Demo.runOnDatabase("connguard demo: Spring JdbcTemplate billing run across a database restart",
        db -> new JdbcTemplateDemo(db).runBilling()));
  }

  private int runBilling() {
    // suppressClose: JdbcTemplate "closes" the connection after every call; this keeps it open.
    SingleConnectionDataSource dataSource = new SingleConnectionDataSource(db.url(), db.user(), db.password(), true);
    try {
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      step = "load invoices";
      loadInvoices(jdbc);
      say("run: " + CUSTOMERS * INVOICES_PER_CUSTOMER + " invoices of " + CUSTOMERS + " customers loaded");

      int half = CUSTOMERS / 2;
      bill(jdbc, 1, half);
      say("run: customers 1-" + half + " billed; the run goes idle");
      step = "fault";
      db.closeSessionsDuringIdle();
      bill(jdbc, half + 1, CUSTOMERS);
      step = "read all totals";
      long billed = jdbc.queryForObject("select count(*) from demo_totals", Long.class);
      say("run: customers " + (half + 1) + "-" + CUSTOMERS + " billed; " + billed + " totals written");
      return check();
    } catch (DataAccessException e) {
      say("run: failed during " + step + " (" + e.getClass().getSimpleName() + ")");
      say("RESULT: billing FAILED: " + reason(Demo.sqlCause(e)));
      return 1;
    } catch (SQLException | IOException | RuntimeException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    } finally {
      dataSource.destroy();
    }
  }

  private static void loadInvoices(JdbcTemplate jdbc) {
    jdbc.execute("drop table if exists demo_totals");
    jdbc.execute("drop table if exists demo_invoices");
    jdbc.execute("create table demo_invoices(id int primary key, customer int, amount int)");
    jdbc.execute("create table demo_totals(customer int primary key, total int, invoices int)");
    List<Object[]> rows = new ArrayList<>();
    for (int customer = 1; customer <= CUSTOMERS; customer++) {
      for (int i = 1; i <= INVOICES_PER_CUSTOMER; i++) {
        int id = (customer - 1) * INVOICES_PER_CUSTOMER + i;
        rows.add(new Object[] {id, customer, amountFor(id)});
      }
    }
    jdbc.batchUpdate("insert into demo_invoices(id, customer, amount) values (?, ?, ?)", rows);
  }

  /** One job per customer: read the invoices, upsert the total. */
  private void bill(JdbcTemplate jdbc, int firstCustomer, int lastCustomer) {
    for (int customer = firstCustomer; customer <= lastCustomer; customer++) {
      step = "bill customer " + customer;
      Long[] sumAndCount = jdbc.queryForObject(
          "select coalesce(sum(amount), 0), count(*) from demo_invoices where customer = ?",
          (rs, row) -> new Long[] {rs.getLong(1), rs.getLong(2)}, customer);
      jdbc.update(db.upsert("demo_totals", "customer", "total", "invoices"),
          customer, sumAndCount[0], sumAndCount[1]);
    }
  }

  /** Exactly once: one total per customer, each equal to its invoices, and no other rows. */
  private int check() throws SQLException {
    step = "check from a fresh admin connection";
    long rows;
    long correct;
    try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
      rows = Demo.count(st, "select count(*) from demo_totals");
      correct = Demo.count(st, "select count(*) from demo_totals t join"
          + " (select customer, sum(amount) s, count(*) n from demo_invoices group by customer) i"
          + " on i.customer = t.customer and i.s = t.total and i.n = t.invoices");
    }
    String seen = correct + " of " + CUSTOMERS + " customers billed correctly, " + rows + " total rows";
    say("check: admin connection sees " + seen);
    if (rows == CUSTOMERS && correct == CUSTOMERS) {
      say("RESULT: billing finished correctly (" + seen + ")");
      return 0;
    }
    say("RESULT: billing FAILED: wrong data: " + seen);
    return 1;
  }


  static int amountFor(int id) {
    return id * 10;
  }
}
