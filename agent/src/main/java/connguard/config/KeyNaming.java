package connguard.config;

import java.util.Locale;

/**
 * How each source spells option names. Letter case is not significant when reading, but a
 * source that spells one key two ways keeps the canonical spelling (see {@link #isCanonical}).
 */
enum KeyNaming {
  /** Agent args and the config file: "maxRetries" or "connguard.maxRetries". */
  PLAIN_OR_PREFIXED {
    @Override
    boolean isOurs(String name) {
      return true;
    }

    @Override
    Option<?> optionFor(String name) {
      return Option.named(withoutPrefix(name));
    }

    @Override
    boolean isCanonical(String name, Option<?> option) {
      return withoutPrefix(name).equals(option.key);
    }
  },

  /** -Dconnguard.maxRetries=2; system properties without the prefix belong to someone else. */
  SYSTEM_PROPERTY {
    @Override
    boolean isOurs(String name) {
      return hasPrefix(name, PROPERTY_PREFIX);
    }

    @Override
    Option<?> optionFor(String name) {
      return Option.named(withoutPrefix(name));
    }

    @Override
    boolean isCanonical(String name, Option<?> option) {
      return name.equals(PROPERTY_PREFIX + option.key);
    }
  },

  /** CONNGUARD_MAXRETRIES=2: the full key in upper case, dots to underscores. */
  ENVIRONMENT {
    @Override
    boolean isOurs(String name) {
      return hasPrefix(name, ENV_PREFIX);
    }

    @Override
    Option<?> optionFor(String name) {
      for (Option<?> option : Option.ALL) {
        if (envName(option).equalsIgnoreCase(name)) {
          return option;
        }
      }
      return null;
    }

    @Override
    boolean isCanonical(String name, Option<?> option) {
      return name.equals(envName(option));
    }
  };

  static final String PROPERTY_PREFIX = "connguard.";
  static final String ENV_PREFIX = "CONNGUARD_";

  /** Whether the name is meant for connguard at all; only those can be unknown options. */
  abstract boolean isOurs(String name);

  /** The option this name sets, or null if it is ours but unknown. */
  abstract Option<?> optionFor(String name);

  abstract boolean isCanonical(String name, Option<?> option);

  static String envName(Option<?> option) {
    // Locale.ROOT: in a Turkish locale "i".toUpperCase() is a dotted capital I.
    return (PROPERTY_PREFIX + option.key).toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static boolean hasPrefix(String name, String prefix) {
    return name.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static String withoutPrefix(String name) {
    return hasPrefix(name, PROPERTY_PREFIX) ? name.substring(PROPERTY_PREFIX.length()) : name;
  }
}
