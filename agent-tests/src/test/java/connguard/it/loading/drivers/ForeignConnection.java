package connguard.it.loading.drivers;

import java.sql.Connection;

/** A subclass as a framework would generate it at runtime (see {@link GeneratedClasses}). */
public class ForeignConnection extends DelegatingConnection {
  public ForeignConnection(Connection inner) {
    super(inner);
  }
}
