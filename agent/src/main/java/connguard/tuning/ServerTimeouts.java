package connguard.tuning;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts one server session reports ({@link ServerSetting}): durations in milliseconds,
 * counts as they are, 0 for off. Pure: built from the text the doctor read, no I/O.
 */
public final class ServerTimeouts {
  public final Product product;
  /** As the driver reports it, e.g. "15.20 (Debian 15.20-0+deb12u1)"; may be empty. */
  public final String version;
  private final Map<ServerSetting, Long> values;   // absent: the server has no such setting, or hid it

  public ServerTimeouts(Product product, String version, Map<ServerSetting, Long> values) {
    this.product = product;
    this.version = version == null ? "" : version;
    EnumMap<ServerSetting, Long> copy = new EnumMap<>(ServerSetting.class);
    copy.putAll(values);
    this.values = Collections.unmodifiableMap(copy);
  }

  /** A server whose timeouts the doctor does not know how to read. */
  public static ServerTimeouts unknown(Product product, String version) {
    return new ServerTimeouts(product, version, Collections.<ServerSetting, Long>emptyMap());
  }

  /**
   * From rows of {@code select name, setting, unit from pg_settings}: {name, setting, unit}.
   * Rows of other settings and values that are not whole numbers are left out.
   */
  public static ServerTimeouts postgres(String version, Iterable<String[]> rows) {
    Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
    for (String[] row : rows) {
      ServerSetting setting = ServerSetting.named(Product.POSTGRESQL, row[0]);
      Long number = wholeNumber(row[1]);
      if (setting == null || number == null) {
        continue;
      }
      if (!setting.isDuration) {
        values.put(setting, number);
        continue;
      }
      long unitMillis = postgresUnitMillis(row.length > 2 ? row[2] : null);
      if (unitMillis > 0) {
        values.put(setting, number * unitMillis);
      }
    }
    return new ServerTimeouts(Product.POSTGRESQL, version, values);
  }

  /** From {@code SHOW VARIABLES}: name to whole seconds. */
  public static ServerTimeouts mysql(Product product, String version, Map<String, String> variables) {
    Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      ServerSetting setting = ServerSetting.named(product, variable.getKey());
      Long seconds = wholeNumber(variable.getValue());
      if (setting != null && seconds != null) {
        values.put(setting, TimeUnit.SECONDS.toMillis(seconds));
      }
    }
    return new ServerTimeouts(product, version, values);
  }

  /** Milliseconds (a count for {@link ServerSetting#TCP_KEEPALIVES_COUNT}); 0 is off; null if unknown. */
  public Long value(ServerSetting setting) {
    return values.get(setting);
  }

  /** The value if the setting is known and on (more than 0), else 0. */
  public long positive(ServerSetting setting) {
    Long value = values.get(setting);
    return value != null && value > 0 ? value : 0;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  // pg_settings.unit for time settings: "ms", "s", "min", "h" or "d"; 0 for anything else.
  private static long postgresUnitMillis(String unit) {
    String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
    switch (u) {
      case "ms": return 1;
      case "s": return TimeUnit.SECONDS.toMillis(1);
      case "min": return TimeUnit.MINUTES.toMillis(1);
      case "h": return TimeUnit.HOURS.toMillis(1);
      case "d": return TimeUnit.DAYS.toMillis(1);
      default: return 0;
    }
  }

  private static Long wholeNumber(String text) {
    if (text == null || !text.trim().matches("[0-9]{1,15}")) {
      return null;
    }
    return Long.parseLong(text.trim());
  }
}
