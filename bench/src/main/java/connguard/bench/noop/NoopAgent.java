package connguard.bench.noop;

import java.lang.instrument.Instrumentation;

/**
 * The floor arm: a -javaagent whose premain does nothing. It separates what any agent costs
 * (the JVM loads the jar, calls premain, and may compile differently) from what connguard adds.
 * Packaged alone as bench/target/noop-agent.jar.
 */
public final class NoopAgent {
  private NoopAgent() {}

  public static void premain(String args, Instrumentation inst) {
    // Nothing, on purpose.
  }
}
