package connguard.examples;

import static connguard.examples.Demo.agentArgument;
import static connguard.examples.Demo.oneLine;
import static connguard.examples.Demo.reason;
import static connguard.examples.Demo.say;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The classic batch job that "works for an hour, then dies with connection closed".
 *
 * <p>The job holds ONE connection for its whole run. Phase 1 loads {@value #ROWS} rows and
 * prepares a lookup; then, while the job is idle, the database restarts; phase 2 carries on with
 * the same {@code Connection} and the same {@code PreparedStatement}. Without connguard phase 2
 * fails (H2: 90067 "Connection is broken"); with {@code -javaagent:connguard.jar} it finishes.
 *
 * <p>By default the database is an H2 TCP server in a child JVM that this demo starts, kills
 * hard and starts again on the same port. With env {@code JDBC_URL} (optional {@code JDBC_USER},
 * {@code JDBC_PASSWORD}) it uses that database instead, and the fault is yours to cause: kill the
 * job's session, or let the server's idle timeout close it.
 *
 * <p>The last line is {@code RESULT: ...}. Exit code 0: the job finished and an admin connection
 * saw the expected rows; 1: the job failed; 2: the demo itself could not run.
 */
public final class BatchJobDemo {
  static final int ROWS = 100;
  static final int EXTRA_ID = ROWS + 1;
  private static final int[] LOOKUP_IDS = {1, 42, ROWS};


  private final DemoDatabase db;
  /** What the job was doing, for the failure line: the step tells more than a stack trace. */
  private String step = "starting";

  private BatchJobDemo(DemoDatabase db) {
    this.db = db;
  }

  public static void main(String[] args) {
    System.exit(run());
  }

  private static int run() {
    say("connguard demo: a batch job that keeps one JDBC connection across a database restart");
    say("agent: " + agentArgument());
    DemoDatabase db;
    try {
      db = DemoDatabase.fromEnvironment();
    } catch (IOException | RuntimeException | SQLException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    }
    try {
      return new BatchJobDemo(db).runJob();
    } finally {
      db.close();
    }
  }

  private int runJob() {
    try {
      step = "connect";
      try (Connection conn = db.connect()) {
        // The app keeps the driver's own objects; connguard does not wrap or proxy them.
        say("job: connected, connection class " + conn.getClass().getName());
        PreparedStatement amountById = phase1(conn);
        step = "fault";
        db.closeSessionsDuringIdle();
        phase2(conn, amountById);
      }
      step = "check from a fresh admin connection";
      Totals seen;
      try (Connection admin = db.connect()) {
        seen = totals(admin);
      }
      Totals expected = Totals.expected(EXTRA_ID);
      say("check: admin connection sees " + seen);
      if (!seen.equals(expected)) {
        throw new WrongResult("admin connection sees " + seen + ", expected " + expected);
      }
      say("RESULT: job finished correctly (" + seen + ")");
      return 0;
    } catch (SQLException e) {
      say("job: failed during " + step);
      say("RESULT: job FAILED: " + e.getSQLState() + " " + oneLine(e.getMessage()));
      return 1;
    } catch (WrongResult e) {
      say("job: wrong data during " + step);
      say("RESULT: job FAILED: wrong data: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    }
  }

  /** Loads the rows in one transaction and prepares the lookup phase 2 will reuse. */
  private PreparedStatement phase1(Connection conn) throws SQLException, WrongResult {
    say("phase 1: load " + ROWS + " rows");
    step = "phase 1, create table demo_orders";
    try (Statement ddl = conn.createStatement()) {
      ddl.execute("drop table if exists demo_orders");
      ddl.execute("create table demo_orders(id int primary key, amount int)");
    }

    step = "phase 1, insert " + ROWS + " rows in one transaction";
    conn.setAutoCommit(false);
    try (PreparedStatement insert =
        conn.prepareStatement("insert into demo_orders(id, amount) values (?, ?)")) {
      for (int id = 1; id <= ROWS; id++) {
        insert.setInt(1, id);
        insert.setInt(2, amountFor(id));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    conn.commit();
    conn.setAutoCommit(true);
    say("phase 1: inserted " + ROWS + " rows, committed");

    step = "phase 1, read totals";
    Totals totals = totals(conn);
    say("phase 1: " + totals);
    expect(Totals.expected(ROWS), totals);

    // Prepared before the fault, used after it: the job must not have to know the connection
    // was replaced underneath this statement.
    step = "phase 1, prepare lookup";
    PreparedStatement amountById =
        conn.prepareStatement("select amount from demo_orders where id = ?");
    say("phase 1: prepared \"select amount from demo_orders where id = ?\"; job goes idle");
    return amountById;
  }

  /** Same Connection, same PreparedStatement, after the database restarted. */
  private void phase2(Connection conn, PreparedStatement amountById)
      throws SQLException, WrongResult {
    say("phase 2: carry on with the same Connection and PreparedStatement");
    for (int id : LOOKUP_IDS) {
      step = "phase 2, select amount for id=" + id;
      amountById.setInt(1, id);
      try (ResultSet rs = amountById.executeQuery()) {
        if (!rs.next()) {
          throw new WrongResult("no row for id=" + id);
        }
        int amount = rs.getInt(1);
        say("phase 2: id=" + id + " amount=" + amount);
        if (amount != amountFor(id)) {
          throw new WrongResult("id=" + id + " amount=" + amount + ", expected " + amountFor(id));
        }
      }
    }

    step = "phase 2, read totals";
    Totals totals = totals(conn);
    say("phase 2: " + totals);
    expect(Totals.expected(ROWS), totals);

    // An autocommit write after the restart. Had it been the first statement after the idle
    // phase, connguard's validation (validateIdleAfter) would still find the connection dead
    // before the insert is sent: provably unsent, so safe to redo.
    step = "phase 2, insert id=" + EXTRA_ID + " (autocommit)";
    try (PreparedStatement insert =
        conn.prepareStatement("insert into demo_orders(id, amount) values (?, ?)")) {
      insert.setInt(1, EXTRA_ID);
      insert.setInt(2, amountFor(EXTRA_ID));
      insert.executeUpdate();
    }
    say("phase 2: inserted id=" + EXTRA_ID + " (autocommit)");
  }

  static int amountFor(int id) {
    return id * 10;
  }

  static Totals totals(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("select count(*), sum(amount) from demo_orders")) {
      rs.next();
      return new Totals(rs.getLong(1), rs.getLong(2));
    }
  }

  private static void expect(Totals expected, Totals seen) throws WrongResult {
    if (!seen.equals(expected)) {
      throw new WrongResult("saw " + seen + ", expected " + expected);
    }
  }

  record Totals(long rows, long sum) {
    static Totals expected(int lastId) {
      long sum = 0;
      for (int id = 1; id <= lastId; id++) {
        sum += amountFor(id);
      }
      return new Totals(lastId, sum);
    }

    @Override
    public String toString() {
      return "rows=" + rows + ", sum=" + sum;
    }
  }

  /** The job ran, but the database holds other data than it should. */
  static final class WrongResult extends Exception {
    WrongResult(String message) {
      super(message);
    }
  }
}
