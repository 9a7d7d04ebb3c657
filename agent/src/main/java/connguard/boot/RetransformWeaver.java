package connguard.boot;

import connguard.advice.DataSourceConnectAdvice;
import connguard.advice.DoubleParameterAdvice;
import connguard.advice.DriverConnectAdvice;
import connguard.advice.JdbcCallAdvice;
import connguard.advice.Kind;
import connguard.advice.LongParameterAdvice;
import connguard.advice.ObjectParameterAdvice;
import connguard.advice.PoolConfigAdvice;
import connguard.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
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
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
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
 * Weaves JDBC classes that were loaded before the agent (attach), with Byte Buddy's inline
 * {@code Advice}: a retransformation may not change a class's shape, so no field, no interface
 * and no renamed body as {@link DefinitionWeaver} adds; the advice classes of
 * {@code connguard.advice} are copied into the driver's own methods instead, and the objects'
 * state lives in a weak map. Classes defined after the agent started never come here.
 */
final class RetransformWeaver {
  private RetransformWeaver() {}

  /**
   * @param transactionReplay executes hand their results to the transaction log (a result set of
   *     a class loaded before the agent is not woven: the log refuses to replay what read it)
   */
  static ClassFileTransformer create(boolean transactionReplay) {
    // AgentBuilder's constructor prepares class injection through sun.misc.Unsafe, which JDK 24+
    // reports on stderr of every app. We inject nothing (advice is inlined), so tell Byte Buddy
    // to stay away from Unsafe. The key is relocated with Byte Buddy: it touches no app library.
    System.setProperty("net.bytebuddy.safe", "true");
    return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // Advice is inlined: no auxiliary class is ever injected. The default injector reaches
        // for sun.misc.Unsafe, which JDK 24+ reports on stderr of every app.
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        .with(new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(TypePool.Default.ReaderMode.FAST,
            new ConcurrentHashMap<ClassLoader, TypePool.CacheProvider>()))
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new FailureListener())
        .ignore(new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
          @Override public boolean matches(TypeDescription type) {
            return JdbcClassFilter.isPlatformOrOurs(type.getInternalName()) || WeavePlan.isPoolProxy(type.getInternalName());
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
        .type(named(WeavePlan.HIKARI_CONFIG.replace('/', '.')))
        .transform(new AgentBuilder.Transformer() {
          @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            return builder.visit(Advice.to(PoolConfigAdvice.class).on(named("validate").and(takesArguments(0))));
          }
        })
        .type(not(isInterface()).and(hasSuperType(named("java.sql.Connection"))))
        .transform(new GuardTransformer(Role.CONNECTION, transactionReplay))
        .type(not(isInterface()).and(hasSuperType(named("java.sql.Statement"))))
        .transform(new GuardTransformer(Role.STATEMENT, transactionReplay))
        .makeRaw();
  }

  /** Weaves each java.sql method with its kind. */
  private static final class GuardTransformer implements AgentBuilder.Transformer {
    private final Role role;
    private final boolean recordResults;

    GuardTransformer(Role role, boolean recordResults) {
      this.role = role;
      this.recordResults = recordResults;
    }

    @Override public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                      ClassLoader loader, JavaModule module, ProtectionDomain domain) {
      DynamicType.Builder<?> b = builder;
      for (Map.Entry<Long, List<MethodDescription>> group : methodsByKind(type).entrySet()) {
        int kind = (int) (long) group.getKey();
        Class<?> advice = ADVICE[(int) (group.getKey() >>> 32)];
        b = b.visit(Advice.withCustomMapping().bind(Kind.class, kind).to(advice).on(anyOf(group.getValue())));
      }
      return b;
    }

    /** Each declared java.sql method once, grouped by its kind and advice class (index into ADVICE, high bits). */
    private Map<Long, List<MethodDescription>> methodsByKind(TypeDescription type) {
      Set<String> signatures = JdbcSignatures.implementedBy(supertypesOf(type));
      Map<Long, List<MethodDescription>> groups = new TreeMap<Long, List<MethodDescription>>();
      for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
        if (!JdbcSignatures.isWoven(m.getModifiers(), m.getInternalName(), m.getDescriptor(), signatures)) {
          continue;
        }
        int kind = JdbcMethods.kindOf(role, m.getInternalName(), m.getDescriptor(), recordResults);
        if (kind >= 0) {
          long key = ((long) JdbcMethods.adviceFor(m.getInternalName(), m.getDescriptor(), kind) << 32) | kind;
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

  private static Set<String> supertypesOf(TypeDefinition type) {
    Set<String> all = new HashSet<String>();
    collect(type, all);
    return all;
  }

  private static void collect(TypeDefinition type, Set<String> all) {
    if (type == null || !all.add(type.asErasure().getInternalName())) {
      return;
    }
    for (TypeDescription.Generic iface : type.getInterfaces()) {
      collect(iface, all);
    }
    collect(type.getSuperClass(), all);
  }

  /** Indexed by {@link JdbcMethods#adviceFor}. */
  private static final Class<?>[] ADVICE = {
      JdbcCallAdvice.class, LongParameterAdvice.class, DoubleParameterAdvice.class, ObjectParameterAdvice.class};

  /** One WARN per class we could not weave: it then runs exactly as without the agent. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    // Per class name: generated classes reappear in every new loader, and one line tells it all.
    private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

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
