package connguard.bench.noop;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The floor arms. {@code -javaagent:noop-agent.jar}: a premain that does nothing; it separates
 * what any agent costs (the JVM loads the jar, calls premain, and may compile differently) from
 * what connguard adds. {@code -javaagent:noop-agent.jar=transformer}: and a class file
 * transformer that changes nothing, registered as connguard registers its own (retransform
 * capable): the JVM's per-class hook, which every agent that weaves classes as they load pays
 * (each class's bytes copied to a Java array, its name and module handed over). Packaged alone
 * as bench/target/noop-agent.jar.
 */
public final class NoopAgent {
  private NoopAgent() {}

  public static void premain(String args, Instrumentation inst) {
    if ("transformer".equals(args)) {
      inst.addTransformer(new ClassFileTransformer() {
        @Override public byte[] transform(ClassLoader loader, String name, Class<?> redefined,
                                          ProtectionDomain domain, byte[] bytes) {
          return null;
        }
      }, true);
    }
  }
}
