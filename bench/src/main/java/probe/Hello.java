package probe;

/**
 * Startup probe: a JVM that never touches JDBC. Outside connguard.* on purpose: the agent skips
 * its own package prefix, and a probe there would be cheaper for it than an app is.
 */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("ready hello");
  }
}
