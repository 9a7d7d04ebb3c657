package connguard.boot;

import connguard.bridge.Hooks;
import connguard.config.Options;
import connguard.heal.GuardDispatcher;
import connguard.log.Log;
import connguard.stats.Stats;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the dispatcher behind the bridge ({@link DeferredStart} calls it at the first JDBC class;
 * on attach it runs at once, with the class filter, and weaves the JDBC classes already loaded). Loaded only after {@link BootstrapBridge#inject}: it names
 * bridge classes, which must resolve to the bootstrap copy.
 */
final class Installer {
  private static final String[] JDBC_TYPES = {
      "java.sql.Connection", "java.sql.Statement", "java.sql.Driver", "javax.sql.DataSource"};

  private Installer() {}

  /** Attach: the JVM may hold JDBC classes already, so everything starts now and they are woven. */
  static void attach(final Options options, final Instrumentation inst) {
    startGuarding(options);
    JdbcClassFilter filter = new JdbcClassFilter(new JdbcClassFilter.Weavers() {
      @Override public DefinitionWeaver forDefinition() {
        return new DefinitionWeaver(options.transactionReplay(), LoadedClassLookup.open(inst));
      }

      @Override public ClassFileTransformer forRetransformation() {
        return RetransformWeaver.create(options.transactionReplay());
      }
    });
    inst.addTransformer(filter, true);
    int woven = retransformLoadedJdbcClasses(inst);
    Log.info("connguard: attached to a running JVM; " + woven + " loaded JDBC classes woven. Connections"
        + " opened from now on are guarded; those opened before cannot be healed (their credentials were"
        + " never seen) and run as without the agent.");
  }

  /** The dispatcher behind the bridge: from now on woven code reaches the guard. */
  static void startGuarding(Options options) {
    Hooks.install(new GuardDispatcher(options, new Stats(), JdbcClassFilter.classesSeen()));
  }

  private static int retransformLoadedJdbcClasses(Instrumentation inst) {
    List<Class<?>> jdbcTypes = new ArrayList<Class<?>>();
    for (String name : JDBC_TYPES) {
      try {
        jdbcTypes.add(Class.forName(name));
      } catch (Throwable absent) {
        // java.sql not in this runtime image: nothing of it can be loaded either.
      }
    }
    int woven = 0;
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.isInterface() || c.isArray() || c.getClassLoader() == null || !inst.isModifiableClass(c)
          || JdbcClassFilter.isPlatformOrOurs(c.getName().replace('.', '/')) || !isJdbc(c, jdbcTypes)) {
        continue;
      }
      try {
        inst.retransformClasses(c);
        woven++;
      } catch (Throwable t) {
        Log.warn("connguard: could not instrument the loaded class " + c.getName() + "; it runs unguarded (" + t + ")");
      }
    }
    return woven;
  }

  private static boolean isJdbc(Class<?> c, List<Class<?>> jdbcTypes) {
    for (Class<?> type : jdbcTypes) {
      if (type.isAssignableFrom(c)) {
        return true;
      }
    }
    return false;
  }
}
