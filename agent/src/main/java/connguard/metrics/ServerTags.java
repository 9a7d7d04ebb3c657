package connguard.metrics;

import java.util.Arrays;

/**
 * Which server a meter or an event is about, in OpenTelemetry's words: {@code db.system} (the JDBC
 * URL's subprotocol: postgresql, mysql, mariadb, h2 ...), {@code server.address},
 * {@code server.port} and {@code db.namespace} (the database the URL names). Made from the host,
 * port and database alone, never from a user or password. A part the URL does not say (a
 * DataSource without a URL, a failover list) is null: Micrometer shows it as
 * {@value #UNKNOWN_VALUE} (every series of a meter needs the same tags), OpenTelemetry leaves the
 * attribute out.
 */
public final class ServerTags {
  static final String[] KEYS = {"db.system", "server.address", "server.port", "db.namespace"};
  static final int SYSTEM = 0;
  static final int ADDRESS = 1;
  static final int PORT = 2;
  static final int NAMESPACE = 3;
  static final String UNKNOWN_VALUE = "unknown";

  /** A server whose URL says nothing the agent can read, or one past {@link Servers#MAX}. */
  public static final ServerTags UNKNOWN = new ServerTags(new String[KEYS.length]);

  private final String[] values;

  private ServerTags(String[] values) {
    this.values = values;
  }

  /** Empty or null parts are unknown. */
  public static ServerTags of(String system, String address, String port, String namespace) {
    ServerTags tags = new ServerTags(new String[] {known(system), known(address), known(port), known(namespace)});
    return tags.equals(UNKNOWN) ? UNKNOWN : tags;
  }

  private static String known(String part) {
    return part == null || part.isEmpty() ? null : part;
  }

  /** The part, or null when unknown. */
  String value(int part) {
    return values[part];
  }

  /** The part as a Micrometer tag value. */
  String tagValue(int part) {
    return values[part] != null ? values[part] : UNKNOWN_VALUE;
  }

  @Override public boolean equals(Object other) {
    return other instanceof ServerTags && Arrays.equals(values, ((ServerTags) other).values);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** "db.system=postgresql server.address=db1 server.port=5432 db.namespace=app" */
  @Override public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < KEYS.length; i++) {
      text.append(i == 0 ? "" : " ").append(KEYS[i]).append('=').append(tagValue(i));
    }
    return text.toString();
  }
}
