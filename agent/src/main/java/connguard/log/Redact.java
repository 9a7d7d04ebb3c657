package connguard.log;

import java.util.regex.Pattern;

/** Masks credentials in JDBC URLs and messages before they are shown anywhere. */
public final class Redact {
  // password=..., pwd=..., secret=... up to the next separator used by any driver (& ; , ? space).
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)((?:password|passwd|pwd|secret|sslpassword|token)\\s*=)[^&;,?\\s)]*");
  // user:password@host in URL authorities (jdbc:mysql://u:p@h, jdbc:postgresql://u:p@h).
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");

  private Redact() {}

  public static String url(String text) {
    if (text == null) {
      return null;
    }
    String masked = KEY_VALUE.matcher(text).replaceAll("$1***");
    return USER_INFO.matcher(masked).replaceAll("$1:***@");
  }
}
