package connguard.it.loading.drivers;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A subclass as a framework would generate it at runtime (see {@link GeneratedClasses}). It
 * overrides one JDBC method, as generated proxies do: a subclass that declares none is left as it
 * is without its supertypes being looked up, and there would be nothing to report.
 */
public class ForeignConnection extends DelegatingConnection {
  public ForeignConnection(Connection inner) {
    super(inner);
  }

  @Override public boolean isValid(int timeout) throws SQLException {
    return super.isValid(timeout);
  }
}
