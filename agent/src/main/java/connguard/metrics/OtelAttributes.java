package connguard.metrics;

import java.lang.reflect.Method;

/**
 * OpenTelemetry's {@code Attributes}, built by reflection in the app's class loader: for the
 * per-server meters and for span events.
 */
final class OtelAttributes {
  private final Class<?> type;
  private final Method builder;
  private final Method putString;
  private final Method putLong;
  private final Method build;

  private OtelAttributes(Class<?> type) throws NoSuchMethodException {
    this.type = type;
    this.builder = type.getMethod("builder");
    Class<?> builderType = builder.getReturnType();
    this.putString = builderType.getMethod("put", String.class, String.class);
    this.putLong = builderType.getMethod("put", String.class, long.class);
    this.build = builderType.getMethod("build");
  }

  static OtelAttributes find(ClassLoader loader) throws ClassNotFoundException, NoSuchMethodException {
    return new OtelAttributes(Class.forName("io.opentelemetry.api.common.Attributes", true, loader));
  }

  /** {@code io.opentelemetry.api.common.Attributes}, for looking up methods that take one. */
  Class<?> type() {
    return type;
  }

  Object builder() throws ReflectiveOperationException {
    return builder.invoke(null);
  }

  void put(Object builder, String key, String value) throws ReflectiveOperationException {
    putString.invoke(builder, key, value);
  }

  void put(Object builder, String key, long value) throws ReflectiveOperationException {
    putLong.invoke(builder, key, value);
  }

  /** The server's known parts; server.port as a number, as the conventions have it. */
  void putServer(Object builder, ServerTags server) throws ReflectiveOperationException {
    for (int i = 0; i < ServerTags.KEYS.length; i++) {
      String value = server.value(i);
      if (value == null) {
        continue;
      }
      if (i == ServerTags.PORT && isDigits(value)) {
        put(builder, ServerTags.KEYS[i], Long.parseLong(value));
      } else {
        put(builder, ServerTags.KEYS[i], value);
      }
    }
  }

  Object build(Object builder) throws ReflectiveOperationException {
    return build.invoke(builder);
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty() || text.length() > 9) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
