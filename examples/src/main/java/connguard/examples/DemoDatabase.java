package connguard.examples;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Where a demo's database lives, and how its sessions get closed while the app is idle: the
 * embedded H2 server the demo starts and restarts, or your own database (env {@code JDBC_URL},
 * optional {@code JDBC_USER}, {@code JDBC_PASSWORD}), whose sessions you close yourself.
 */
public interface DemoDatabase {
  static DemoDatabase fromEnvironment() throws IOException, SQLException {
    String url = System.getenv("JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new ExternalDatabase(url, System.getenv("JDBC_USER"), System.getenv("JDBC_PASSWORD"));
    }
    return EmbeddedH2.start();
  }

  String url();

  /** Null when the URL carries the user, or none is needed. */
  String user();

  String password();

  Connection connect() throws SQLException;

  /** The fault: the app is idle, and the database closes its session underneath it. */
  void closeSessionsDuringIdle() throws IOException;

  /** How long {@link #closeSessionsDuringIdle} may take: a demo waiting for it waits that long and more. */
  Duration faultTime();

  /** Never throws: called from finally. */
  void close();

  /**
   * An upsert keyed on its first column, in this database's dialect: safe to run twice, which is
   * what lets connguard re-run it (idempotentSql) and the demo check "exactly once" by content.
   */
  default String upsert(String table, String... columns) {
    String list = String.join(", ", columns);
    String params = String.join(", ", java.util.Collections.nCopies(columns.length, "?"));
    String lower = url().toLowerCase(java.util.Locale.ROOT);
    StringBuilder set = new StringBuilder();
    for (int i = 1; i < columns.length; i++) {
      set.append(i > 1 ? ", " : "").append(columns[i]).append(" = ");
      set.append(lower.startsWith("jdbc:postgresql:") ? "excluded." + columns[i] : "values(" + columns[i] + ")");
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      return "insert into " + table + " (" + list + ") values (" + params + ") on conflict (" + columns[0]
          + ") do update set " + set;
    }
    if (lower.startsWith("jdbc:mysql:") || lower.startsWith("jdbc:mariadb:")) {
      return "insert into " + table + " (" + list + ") values (" + params + ") on duplicate key update " + set;
    }
    return "merge into " + table + " (" + list + ") key(" + columns[0] + ") values (" + params + ")";   // H2
  }
}
