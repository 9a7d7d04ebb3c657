package connguard.boot;

import connguard.bridge.Hooks;
import connguard.config.Options;
import connguard.heal.GuardDispatcher;
import connguard.stats.Stats;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;

/**
 * Installs the dispatcher behind the bridge and the class filter. Loaded only after
 * {@link BootstrapBridge#inject}: it names bridge classes, which must resolve to the bootstrap copy.
 */
final class Installer {
  private Installer() {}

  static void install(Options options, Instrumentation inst) {
    Hooks.install(new GuardDispatcher(options, new Stats()));
    inst.addTransformer(new JdbcClassFilter(new Weaver.Factory() {
      @Override public ClassFileTransformer create() {
        return Weaver.create();
      }
    }), false);
  }
}
