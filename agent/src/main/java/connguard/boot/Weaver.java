package connguard.boot;

import connguard.advice.DataSourceConnectAdvice;
import connguard.advice.DoubleParameterAdvice;
import connguard.advice.DriverConnectAdvice;
import connguard.advice.JdbcCallAdvice;
import connguard.advice.Kind;
import connguard.advice.LongParameterAdvice;
import connguard.advice.ObjectParameterAdvice;
import connguard.advice.PoolConfigAdvice;
import connguard.bridge.Guarded;
import connguard.bridge.MethodKind;
import connguard.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.SyntheticState;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import static net.bytebuddy.matcher.ElementMatchers.anyOf;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * What is woven, and how: every class implementing java.sql.Connection or java.sql.Statement gets
 * a state field plus {@link Guarded}, and {@link JdbcCallAdvice} on each java.sql method with its
 * {@link JdbcMethods kind} bound as a constant; every java.sql.Driver gets
 * {@link DriverConnectAdvice} on connect(String, Properties).
 */
final class Weaver {
  static final String STATE_FIELD = "connguard$state";
  /** Not a JDBC class (its bytes never mention java/sql/): {@link JdbcClassFilter} lets it through by name. */
  static final String HIKARI_CONFIG = "com.zaxxer.hikari.HikariConfig";

  /** Builds the Byte Buddy transformer lazily (see {@link JdbcClassFilter}). */
  interface Factory {
    ClassFileTransformer create(boolean loadedBefore) throws Exception;
  }

  /** Which java.sql type a guarded class implements: picks its kind table. */
  enum Role { CONNECTION, STATEMENT, RESULT_SET }

  private Weaver() {}

  /**
   * @param loadedBefore for classes already loaded (attach): retransformation may not change a
   *     class's shape, so no field and no interface; their state lives in a weak map instead.
   */
  static ClassFileTransformer create(boolean loadedBefore) {
    return create(loadedBefore, false);
  }

  /**
   * @param transactionReplay also hand execute results to the agent and weave ResultSet.next of
   *     classes being defined (their rows feed the transaction log's digests); off, nothing of it
   *     is woven and the hot path is as without replay
   */
  static ClassFileTransformer create(boolean loadedBefore, boolean transactionReplay) {
    // AgentBuilder's constructor prepares class injection through sun.misc.Unsafe, which JDK 24+
    // reports on stderr of every app. We inject nothing (advice is inlined), so tell Byte Buddy
    // to stay away from Unsafe. The key is relocated with Byte Buddy: it touches no app library.
    System.setProperty("net.bytebuddy.safe", "true");
    AgentBuilder.Identified.Extendable builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .with(loadedBefore ? AgentBuilder.TypeStrategy.Default.DECORATE : AgentBuilder.TypeStrategy.Default.REBASE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // Advice is inlined: no auxiliary class is ever injected. The default injector reaches
        // for sun.misc.Unsafe, which JDK 24+ reports on stderr of every app.
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        // One pool cache for all classes: supertypes (java.sql, the driver's base classes) are
        // parsed once, not once per class woven.
        .with(new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(TypePool.Default.ReaderMode.FAST,
            new ConcurrentHashMap<ClassLoader, TypePool.CacheProvider>()))
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new FailureListener())
        .ignore(new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
          @Override public boolean matches(TypeDescription type) {
            return JdbcClassFilter.isPlatformOrOurs(type.getInternalName());
          }
        })
        .type(not(isInterface()).and(hasSuperType(named("java.sql.Driver"))))
        .transform(new AgentBuilder.Transformer() {
          @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            return builder.visit(Advice.to(DriverConnectAdvice.class).on(named("connect")
                .and(takesArguments(String.class, Properties.class)).and(not(isAbstract()))));
          }
        })
        // Only a driver's own DataSource (it also makes pooled or XA connections); a pool's
        // getConnection returns a proxy of a connection that is guarded already.
        .type(not(isInterface()).and(hasSuperType(named("javax.sql.DataSource")))
            .and(hasSuperType(named("javax.sql.ConnectionPoolDataSource")).or(hasSuperType(named("javax.sql.XADataSource")))))
        .transform(new AgentBuilder.Transformer() {
          @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            return builder.visit(Advice.to(DataSourceConnectAdvice.class).on(named("getConnection")
                .and(takesArguments(0).or(takesArguments(String.class, String.class))).and(not(isAbstract()))));
          }
        })
        // A pool's idle settings, compared with the server's idle timeouts once both are known.
        .type(named(HIKARI_CONFIG))
        .transform(new AgentBuilder.Transformer() {
          @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            return builder.visit(Advice.to(PoolConfigAdvice.class).on(named("validate").and(takesArguments(0))));
          }
        })
        .type(not(isInterface()).and(hasSuperType(named("java.sql.Connection"))))
        .transform(new GuardTransformer(Role.CONNECTION, !loadedBefore, transactionReplay))
        .type(not(isInterface()).and(hasSuperType(named("java.sql.Statement"))))
        .transform(new GuardTransformer(Role.STATEMENT, !loadedBefore, transactionReplay));
    if (transactionReplay && !loadedBefore) {
      // A class loaded before the agent cannot get the state field; the log then refuses to
      // replay a transaction that read from it (ResultSetTap needs Guarded).
      builder = builder.type(not(isInterface()).and(hasSuperType(named("java.sql.ResultSet"))))
          .transform(new GuardTransformer(Role.RESULT_SET, true, true));
    }
    return builder.makeRaw();
  }

  /** Adds the state field (when the class is new) and weaves each java.sql method with its kind. */
  private static final class GuardTransformer implements AgentBuilder.Transformer {
    private final Role role;
    private final boolean addStateField;
    private final boolean recordResults;

    GuardTransformer(Role role, boolean addStateField, boolean recordResults) {
      this.role = role;
      this.addStateField = addStateField;
      this.recordResults = recordResults;
    }

    @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
      DynamicType.Builder<?> b = !addStateField ? builder : builder
          .defineField(STATE_FIELD, Object.class, Visibility.PRIVATE, SyntheticState.SYNTHETIC, FieldPersistence.TRANSIENT)
          .implement(Guarded.class).intercept(FieldAccessor.ofField(STATE_FIELD));
      for (Map.Entry<Long, List<MethodDescription>> group : methodsByKind(type).entrySet()) {
        int kind = (int) (long) group.getKey();
        Class<?> advice = ADVICE[(int) (group.getKey() >>> 32)];
        b = b.visit(Advice.withCustomMapping().bind(Kind.class, kind).to(advice).on(anyOf(group.getValue())));
      }
      return b;
    }

    /** Each declared java.sql method once, grouped by its kind and advice class (index into ADVICE, high bits). */
    private Map<Long, List<MethodDescription>> methodsByKind(TypeDescription type) {
      Set<String> signatures = JdbcSignatures.implementedBy(type);
      Map<Long, List<MethodDescription>> groups = new TreeMap<Long, List<MethodDescription>>();
      for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
        if (!JdbcSignatures.isWoven(m, signatures)) {
          continue;
        }
        int kind = kindOf(m, role, recordResults);
        if (kind >= 0) {
          long key = ((long) adviceFor(m, kind) << 32) | kind;
          List<MethodDescription> group = groups.get(key);
          if (group == null) {
            group = new ArrayList<MethodDescription>();
            groups.put(key, group);
          }
          group.add(m);
        }
      }
      return groups;
    }
  }

  /** Indexed by {@link #adviceFor}. */
  private static final Class<?>[] ADVICE = {
      JdbcCallAdvice.class, LongParameterAdvice.class, DoubleParameterAdvice.class, ObjectParameterAdvice.class};

  /**
   * A parameter setter {@code setX(int index, value)} gets advice that binds its two arguments as
   * they are (no argument array, no box); everything else the general {@link JdbcCallAdvice}.
   */
  static int adviceFor(MethodDescription m, int kind) {
    // registerOutParameter(int, int) has the shape too, but is recorded apart from the value set
    // at the same index (an INOUT parameter has both): the general advice keeps it so.
    if (MethodKind.operation(kind) != MethodKind.STMT_PARAM || !m.getInternalName().startsWith("set")
        || m.getParameters().size() != 2 || !m.getParameters().get(0).getType().represents(int.class)) {
      return 0;
    }
    TypeDescription value = m.getParameters().get(1).getType().asErasure();
    if (value.represents(int.class) || value.represents(long.class) || value.represents(short.class)
        || value.represents(byte.class)) {
      return 1;
    }
    if (value.represents(double.class) || value.represents(float.class)) {
      return 2;
    }
    return value.represents(char.class) ? 0 : 3;    // references, and boolean (its boxes are cached)
  }

  static int kindOf(MethodDescription m, Role role, boolean recordResults) {
    String name = m.getInternalName();
    int arity = m.getParameters().size();
    switch (role) {
      case CONNECTION:
        return JdbcMethods.connectionKind(name, arity);
      case STATEMENT:
        return JdbcMethods.statementKind(name, arity, recordResults);
      default:
        return JdbcMethods.resultSetKind(name, arity);
    }
  }

  /** One WARN per class we could not weave: it then runs exactly as without the agent. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    // Per class name: generated classes reappear in every new loader, and one line tells it all.
    private final Set<String> reported = java.util.Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    @Override public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
      if (reported.add(typeName)) {
        Log.warn("connguard: could not instrument " + typeName + "; it runs unguarded (" + t + ")");
      }
    }

    @Override public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                           boolean loaded, DynamicType dynamicType) {
      Log.debug("connguard: guarding " + type.getName());
    }
  }
}
