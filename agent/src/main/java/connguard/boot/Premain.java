package connguard.boot;

import java.lang.instrument.Instrumentation;

/** Entry points named in the jar manifest. Never throws: an exception here would abort the JVM. */
public final class Premain {
  private Premain() {}

  public static void premain(String args, Instrumentation inst) {
    agentmain(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
  }
}
