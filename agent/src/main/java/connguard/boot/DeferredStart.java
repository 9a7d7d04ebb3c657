package connguard.boot;

import connguard.config.Options;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;

/**
 * Starts the guard when the first class that mentions {@code java/sql/} loads, not in premain:
 * the bridge injection, the dispatcher with its decisions and executors, and the weaver are
 * needed only by a JVM that uses JDBC, and a JVM that never does pays for none of them.
 * Called by {@link JdbcClassFilter} under its lock, before the first JDBC class is woven, so the
 * bridge is in the bootstrap loader before any woven code can call it.
 *
 * <p>Names no bridge class itself: it is loaded in premain, before the bridge is injected.
 */
final class DeferredStart implements JdbcClassFilter.Weavers {
  private final Options options;
  private final Instrumentation inst;
  private boolean started;

  DeferredStart(Options options, Instrumentation inst) {
    this.options = options;
    this.inst = inst;
  }

  @Override public DefinitionWeaver forDefinition() throws Exception {
    start();
    return new DefinitionWeaver(options.transactionReplay(), LoadedClassLookup.open(inst));
  }

  /** Only when another agent or a profiler retransforms a JDBC class that was loaded before this one. */
  @Override public ClassFileTransformer forRetransformation() throws Exception {
    start();
    return RetransformWeaver.create(options.transactionReplay());
  }

  private void start() throws Exception {
    if (!started) {
      BootstrapBridge.inject(inst);
      Installer.startGuarding(options);
      started = true;
    }
  }
}
