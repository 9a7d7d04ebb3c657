package connguard.tuning;

import java.util.EnumMap;
import java.util.Map;

/** Server timeouts for tests: one setting of one server. */
final class Timeouts {
  private Timeouts() {}

  static ServerTimeouts pg(ServerSetting setting, long millis) {
    return new ServerTimeouts(Product.POSTGRESQL, "16.4", values(setting, millis));
  }

  static Map<ServerSetting, Long> values(ServerSetting setting, long millis) {
    Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
    values.put(setting, millis);
    return values;
  }
}
