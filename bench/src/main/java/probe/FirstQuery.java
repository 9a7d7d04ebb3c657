package probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Startup probe: a tiny JDBC app, from JVM start to its first query result (H2 in-memory). */
public final class FirstQuery {
  private FirstQuery() {}

  public static void main(String[] args) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:probe", "sa", "");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 42")) {
      rs.next();
      System.out.println("ready " + rs.getInt(1));
    }
  }
}
