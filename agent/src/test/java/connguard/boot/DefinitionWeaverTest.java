package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fixtures.SampleDriver;
import fixtures.SampleStatement;
import connguard.bridge.Dispatcher;
import connguard.bridge.Failure;
import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * The wrappers {@link DefinitionWeaver} writes, run for real: a fixture class is woven, defined in
 * a loader of its own (so the JVM verifies it) and called, with a recording dispatcher behind the
 * bridge. Each test pins one promise of the advice contract: the app sees only its own outcome,
 * a successful retry's, or what the guard decided; never an error of ours.
 */
class DefinitionWeaverTest {
  private final Recorder recorder = new Recorder();

  @AfterEach
  void uninstall() {
    Hooks.install(null);
  }

  @Test
  void aWovenStatementImplementsGuardedAndKeepsItsPublicMethods() throws Exception {
    Class<?> woven = weave(SampleStatement.class);
    Object statement = woven.getConstructor().newInstance();
    assertTrue(statement instanceof Guarded);
    ((Guarded) statement).connguard$state("state");
    assertEquals("state", ((Guarded) statement).connguard$state());
    Method body = woven.getDeclaredMethod("connguard$executeQuery", String.class);
    assertTrue(Modifier.isPrivate(body.getModifiers()) && body.isSynthetic(), "the body is private and synthetic");
    assertTrue(Modifier.isPublic(woven.getDeclaredMethod("executeQuery", String.class).getModifiers()));
    assertThrows(NoSuchMethodException.class, () -> woven.getDeclaredMethod("connguard$notJdbc", int.class),
        "a method that is no java.sql method is not woven");
  }

  /**
   * A body with nothing but code is copied byte for byte (PlainMethods); an annotated method is
   * woven in full, and its annotation stays where reflection looks for it: the public method.
   */
  @Test
  void anAnnotatedMethodKeepsItsAnnotationOnTheWrapperAndPlainOnesAreCopied() throws Exception {
    Set<String> plain = PlainMethods.of(new ClassReader(bytesOf(SampleStatement.class)));
    assertTrue(plain.containsAll(Arrays.asList("setInt(II)V", "executeQuery(Ljava/lang/String;)Ljava/sql/ResultSet;",
        "execute(Ljava/lang/String;)Z", "notJdbc(I)I")), plain.toString());
    assertFalse(plain.contains("setMaxRows(I)V"), "annotated");

    Class<?> woven = weave(SampleStatement.class);
    assertTrue(woven.getDeclaredMethod("setMaxRows", int.class).isAnnotationPresent(Deprecated.class));
    assertFalse(woven.getDeclaredMethod("connguard$setMaxRows", int.class).isAnnotationPresent(Deprecated.class));
    Object statement = woven.getConstructor().newInstance();
    ((Guarded) statement).connguard$state(STATE);
    Hooks.install(recorder);
    woven.getMethod("setMaxRows", int.class).invoke(statement, 7);
    woven.getMethod("setInt", int.class, int.class).invoke(statement, 1, 2);
    assertEquals(Arrays.asList("setMaxRows 7", "setInt 1 2"), ran(statement));
  }

  @Test
  void withoutADispatcherEveryCallRunsAsWithoutTheAgent() throws Exception {
    Object statement = newStatement();
    assertEquals(3, call(statement, "executeUpdate"));
    assertEquals(1L << 40, call(statement, "executeLargeUpdate"));
    assertEquals(Arrays.asList("executeUpdate", "executeLargeUpdate"), ran(statement));
  }

  @Test
  void anObjectWithoutStateRunsItsBodyAndTheBridgeHearsNothing() throws Exception {
    Hooks.install(recorder);
    Object statement = weave(SampleStatement.class).getConstructor().newInstance();
    assertEquals(5, call(statement, "getMaxRows"));
    call(statement, "setInt", 1, 2);
    assertEquals(new ArrayList<String>(), recorder.calls, "driver internals and replacements have no state");
    assertEquals(Arrays.asList("getMaxRows", "setInt 1 2"), ran(statement));
  }

  @Test
  void aNestedCallRunsItsBodyAndTheGuardHearsNothingMore() throws Exception {
    recorder.token = null;
    Hooks.install(recorder);
    Object statement = newStatement();
    assertEquals(5, call(statement, "getMaxRows"));
    assertEquals(Arrays.asList("enter " + MethodKind.STMT_OTHER), recorder.calls);
  }

  @Test
  void theBridgeIsHandedTheObjectsStateNotTheObject() throws Exception {
    Hooks.install(recorder);
    Object statement = newStatement();
    call(statement, "executeUpdate");
    call(statement, "setInt", 1, 2);
    recorder.token = new Skip();
    call(statement, "getMaxRows");
    assertEquals(Arrays.asList(STATE, STATE, STATE, STATE, STATE, STATE), recorder.states,
        "enter and succeeded, enter and parameterSet, enter and exit: each with the state");
  }

  @Test
  void aSuccessfulCallReportsItsKindMethodAndOnlyTheValuesItsKindNeeds() throws Exception {
    Hooks.install(recorder);
    Object statement = newStatement();
    assertNull(call(statement, "executeQuery", "select 1"));
    assertEquals(Arrays.asList("executeQuery select 1"), ran(statement));
    int kind = MethodKind.STMT_EXECUTE | MethodKind.NEEDS_ARG0;
    assertEquals(Arrays.asList("enter " + kind,
        "succeeded " + kind + " executeQuery(Ljava/lang/String;)Ljava/sql/ResultSet; args=null arg0=select 1 result=null"),
        recorder.calls);
  }

  @Test
  void aSettingIsReportedWithItsArgumentsBoxed() throws Exception {
    Hooks.install(recorder);
    call(newStatement(), "setMaxRows", 7);
    int kind = MethodKind.STMT_SETTING | MethodKind.NEEDS_ARGS;
    assertEquals("succeeded " + kind + " setMaxRows(I)V args=[7] arg0=null result=null", recorder.calls.get(1));
  }

  @Test
  void parameterSettersHandOverTheirValueAsBitsOrAsItIs() throws Exception {
    Hooks.install(recorder);
    Object statement = newStatement();
    call(statement, "setInt", 1, -42);
    call(statement, "setLong", 2, Long.MAX_VALUE);
    call(statement, "setDouble", 3, 2.5d);
    call(statement, "setFloat", 4, 1.5f);
    call(statement, "setBoolean", 5, true);
    call(statement, "setString", 6, "s");
    assertEquals(Arrays.asList(
        "parameterSet setInt(II)V 1 " + (-42L) + " null",
        "parameterSet setLong(IJ)V 2 " + Long.MAX_VALUE + " null",
        "parameterSet setDouble(ID)V 3 " + Double.doubleToRawLongBits(2.5d) + " null",
        "parameterSet setFloat(IF)V 4 " + Double.doubleToRawLongBits(1.5d) + " null",
        "parameterSet setBoolean(IZ)V 5 0 true",
        "parameterSet setString(ILjava/lang/String;)V 6 0 s"), recorder.only("parameterSet"));
    assertEquals(6, ran(statement).size(), "every setter ran its own body");
  }

  @Test
  void aSkipRunsNoBodyAndTheGuardSuppliesTheResultUnboxed() throws Exception {
    recorder.token = new Skip();
    recorder.outcome = 9;
    Hooks.install(recorder);
    Object statement = newStatement();
    assertEquals(9, call(statement, "getMaxRows"));
    recorder.outcome = 77L;
    assertEquals(77L, call(statement, "executeLargeUpdate"));
    assertEquals(new ArrayList<String>(), ran(statement), "no body ran");
    assertEquals("exit " + MethodKind.STMT_OTHER + " getMaxRows()I args=[] result=0 thrown=null", recorder.calls.get(1));
  }

  @Test
  void aFailureIsHandedToTheGuardWithTheArgumentsAndItsAnswerIsWhatTheAppSees() throws Exception {
    Hooks.install(recorder);
    Object statement = newStatement();
    SQLException original = new SQLException("gone", "08006");
    setField(statement, "failWith", original);

    recorder.outcome = Hooks.UNCHANGED;
    assertSame(original, thrownBy(statement, "executeQuery", "select 2"), "unchanged: the app's own error");
    assertTrue(recorder.calls.get(1).startsWith("exit " + (MethodKind.STMT_EXECUTE | MethodKind.NEEDS_ARG0)
        + " executeQuery(Ljava/lang/String;)Ljava/sql/ResultSet; args=[select 2] result=null thrown=java.sql.SQLException: gone"),
        recorder.calls.toString());

    SQLException refused = new SQLException("refused", "40001");
    recorder.outcome = new Failure(refused);
    assertSame(refused, thrownBy(statement, "executeUpdate"), "a Failure: the guard's error");

    recorder.outcome = 11;
    assertEquals(11, call(statement, "executeUpdate"), "a value: the retry's result, no error");
  }

  @Test
  void errorsOfTheGuardNeverReachTheApp() throws Exception {
    recorder.failInEnter = true;
    Hooks.install(recorder);
    Object statement = newStatement();
    assertEquals(3, call(statement, "executeUpdate"), "enter failed: the body runs unguarded");
    recorder.failInEnter = false;
    recorder.failInExit = true;
    assertEquals(3, call(statement, "executeUpdate"), "succeeded failed: the result stands");
    SQLException original = new SQLException("gone", "08006");
    setField(statement, "failWith", original);
    assertSame(original, thrownBy(statement, "executeUpdate"), "exit failed: the app's own error stands");
    recorder.outcome = "not an Integer";
    recorder.failInExit = false;
    assertSame(original, thrownBy(statement, "executeUpdate"), "an outcome of the wrong type: the app's own error");
  }

  @Test
  void aSynchronizedMethodStillRunsItsBodyUnderTheLock() throws Exception {
    Hooks.install(recorder);
    Object statement = newStatement();
    assertEquals(true, call(statement, "execute", "select 3"));
    assertEquals(Arrays.asList("execute true"), ran(statement));
  }

  @Test
  void driverConnectReportsTheConnectionOrNullWhenItThrows() throws Exception {
    Hooks.install(recorder);
    Class<?> woven = weave(SampleDriver.class);
    Object driver = woven.getConstructor().newInstance();
    Properties info = new Properties();
    Method connect = woven.getMethod("connect", String.class, Properties.class);

    Exception refused = assertThrows(Exception.class, () -> connect.invoke(driver, "jdbc:x", info));
    assertEquals("refused: jdbc:x", refused.getCause().getMessage(), "the driver's own error");
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
    setField(driver, "next", connection);
    assertSame(connection, connect.invoke(driver, "jdbc:y", info));
    assertEquals(Arrays.asList("connecting", "connected null jdbc:x", "connecting", "connected conn jdbc:y"),
        recorder.calls);
    assertFalse(driver instanceof Guarded, "a driver keeps no state of its own");
  }

  @Test
  void weavingTheSameBytesAgainGivesTheSameClassWhichIsWhatARetransformationAccepts() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] bytes = bytesOf(SampleStatement.class);
    String name = SampleStatement.class.getName().replace('.', '/');
    DefinitionWeaver weaver = new DefinitionWeaver(false);
    byte[] first = weaver.weave(loader, name, bytes);
    assertTrue(weaver.wove(loader, name));
    assertArrayEquals(first, weaver.weave(loader, name, bytes));
    assertArrayEquals(first, new DefinitionWeaver(false).weave(loader, name, bytes));
  }

  @Test
  void aClassThatIsNoJdbcClassIsLeftAlone() throws Exception {
    byte[] bytes = bytesOf(DefinitionWeaverTest.class);
    assertNull(new DefinitionWeaver(false).weave(getClass().getClassLoader(),
        DefinitionWeaverTest.class.getName().replace('.', '/'), bytes));
  }

  @Test
  void hikariProxiesAreLeftAloneTheConnectionsTheyWrapAreGuardedAlready() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    DefinitionWeaver weaver = new DefinitionWeaver(false);
    assertNull(weaver.weave(loader, "com/zaxxer/hikari/pool/HikariProxyConnection",
        connectionClass("com/zaxxer/hikari/pool/HikariProxyConnection")));
    assertNotNull(weaver.weave(loader, "org/example/ProxyConnection", connectionClass("org/example/ProxyConnection")),
        "the same class elsewhere is a connection like any other");
  }

  /** A class implementing java.sql.Connection with a constructor and one concrete method, close(). */
  static byte[] connectionClass(String name) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, name, null, "java/lang/Object",
        new String[] {"java/sql/Connection"});
    constructor(writer, "java/lang/Object");
    returnsAtOnce(writer, "close", "()V");
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A public no-argument constructor that calls its superclass's. */
  private static void constructor(ClassWriter writer, String superName) {
    org.objectweb.asm.MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(1, 1);
    init.visitEnd();
  }

  /** A public method of {@code descriptor} (void, at most one parameter) that returns at once. */
  private static void returnsAtOnce(ClassWriter writer, String name, String descriptor) {
    org.objectweb.asm.MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC, name, descriptor, null, null);
    m.visitCode();
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 2);
    m.visitEnd();
  }

  @Test
  void aSupertypeWithoutAClassFileIsReportedNotGuessed() {
    TypeHierarchy.Unresolvable e = assertThrows(TypeHierarchy.Unresolvable.class,
        () -> new DefinitionWeaver(false).weave(getClass().getClassLoader(), "gen/Sub",
            subclass("gen/Sub", "gen/GeneratedAtRunTime", "close", "()V")));
    assertEquals("cannot read the class file of gen.GeneratedAtRunTime", e.getMessage());
  }

  /**
   * A class that declares nothing the weaver could wrap is left as it is before its supertypes are
   * looked up (most of the agent's start-up in a Spring Boot app went to looking them up): here a
   * supertype that has no class file is not even asked for.
   */
  @Test
  void aClassDeclaringNothingToWrapIsLeftAloneWithoutLookingUpItsSupertypes() throws Exception {
    assertNull(new DefinitionWeaver(false).weave(getClass().getClassLoader(), "gen/Sub",
        subclass("gen/Sub", "gen/GeneratedAtRunTime", "run", "(Ljava/sql/Connection;)V")));
  }

  /** Left alone, a connection's subclass with nothing to wrap is still guarded: it inherits the state and its accessors. */
  @Test
  void aSubclassWithNothingToWrapIsGuardedThroughItsSuperclass() throws Exception {
    DefinitionWeaver weaver = new DefinitionWeaver(false);
    ClassLoader parent = getClass().getClassLoader();
    byte[] base = weaver.weave(parent, "gen/BaseConnection", connectionClass("gen/BaseConnection"));
    byte[] sub = subclass("gen/SubConnection", "gen/BaseConnection", "run", "(Ljava/sql/Connection;)V");
    assertNull(weaver.weave(parent, "gen/SubConnection", sub));
    ClassLoader loader = new OneClassLoader(new OneClassLoader(parent, "gen.BaseConnection", concrete(base)),
        "gen.SubConnection", sub);
    Object connection = loader.loadClass("gen.SubConnection").getConstructor().newInstance();
    assertTrue(connection instanceof Connection && connection instanceof Guarded);
    ((Guarded) connection).connguard$state(STATE);
    assertSame(STATE, ((Guarded) connection).connguard$state());
  }

  /** A public class {@code name} extending {@code superName} with a constructor and one method that returns or throws. */
  static byte[] subclass(String name, String superName, String method, String descriptor) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, name, null, superName, new String[0]);
    constructor(writer, superName);
    returnsAtOnce(writer, method, descriptor);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * A supertype that passed the weaver itself is known from then on, class file or not: its
   * subclasses are not read through the loader for it (the start-up cost of issue 26), and a
   * JDBC class generated at run time no longer leaves its subclasses unresolvable.
   */
  @Test
  void aSupertypeThatPassedTheWeaverIsKnownWithoutItsClassFile() throws Exception {
    DefinitionWeaver weaver = new DefinitionWeaver(false);
    ClassLoader loader = getClass().getClassLoader();
    assertNotNull(weaver.weave(loader, "gen/GeneratedConnection", connectionClass("gen/GeneratedConnection")));
    byte[] sub = weaver.weave(loader, "gen/Sub", subclass("gen/Sub", "gen/GeneratedConnection", "close", "()V"));
    assertNotNull(sub, "a connection by its generated superclass: guarded");
    assertTrue(Arrays.asList(new ClassReader(sub).getInterfaces()).contains("connguard/bridge/Guarded"));
  }

  // --- fixtures ---

  private static final Object STATE = "the statement's state";

  /** A woven statement with state attached, as the guard attaches it to the app's statements. */
  private Object newStatement() throws Exception {
    Object statement = weave(SampleStatement.class).getConstructor().newInstance();
    ((Guarded) statement).connguard$state(STATE);
    return statement;
  }

  /** Woven, made concrete (the fixture is abstract only for javac), defined in a loader of its own. */
  private static Class<?> weave(Class<?> fixture) throws Exception {
    String name = fixture.getName().replace('.', '/');
    ClassLoader parent = DefinitionWeaverTest.class.getClassLoader();
    byte[] woven = new DefinitionWeaver(false).weave(parent, name, bytesOf(fixture));
    assertNotNull(woven, fixture + " is woven");
    return new OneClassLoader(parent, fixture.getName(), concrete(woven)).loadClass(fixture.getName());
  }

  /** The class without ACC_ABSTRACT, so that it can be instantiated. */
  static byte[] concrete(byte[] bytes) {
    ClassWriter concrete = new ClassWriter(0);
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, concrete) {
      @Override public void visit(int version, int access, String n, String s, String superName, String[] interfaces) {
        super.visit(version, access & ~Opcodes.ACC_ABSTRACT, n, s, superName, interfaces);
      }
    }, 0);
    return concrete.toByteArray();
  }

  private static byte[] bytesOf(Class<?> type) throws Exception {
    return ClassFiles.read(type.getClassLoader(), type.getName().replace('.', '/'));
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    try {
      return method(target, name, args.length).invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError("the call threw " + e.getCause(), e.getCause());
    }
  }

  private static Throwable thrownBy(Object target, String name, Object... args) throws Exception {
    try {
      method(target, name, args.length).invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      return e.getCause();
    }
    throw new AssertionError(name + " returned normally");
  }

  private static Method method(Object target, String name, int arity) {
    for (Method m : target.getClass().getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == arity && Modifier.isPublic(m.getModifiers())) {
        return m;
      }
    }
    throw new AssertionError("no method " + name);
  }

  @SuppressWarnings("unchecked")
  private static List<String> ran(Object statement) throws Exception {
    return (List<String>) statement.getClass().getField("ran").get(statement);
  }

  private static void setField(Object target, String name, Object value) throws Exception {
    target.getClass().getField(name).set(target, value);
  }

  /** Defines one class itself, child first; everything else from the parent (the bridge, java.sql). */
  static final class OneClassLoader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    OneClassLoader(ClassLoader parent, String name, byte[] bytes) {
      super(parent);
      this.name = name;
      this.bytes = bytes;
    }

    @Override protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
      if (n.equals(name)) {
        synchronized (getClassLoadingLock(n)) {
          Class<?> c = findLoadedClass(n);
          return c != null ? c : defineClass(n, bytes, 0, bytes.length);
        }
      }
      return super.loadClass(n, resolve);
    }
  }

  /** Records every bridge call as a line; answers with {@link #token} and {@link #outcome}. */
  private static final class Recorder extends Dispatcher {
    final List<String> calls = new ArrayList<String>();
    final List<Object> states = new ArrayList<Object>();
    Object token = "token";
    Object outcome = Hooks.UNCHANGED;
    boolean failInEnter;
    boolean failInExit;

    @Override public Object enter(Object self, int kind) {
      calls.add("enter " + kind);
      if (failInEnter) {
        throw new IllegalStateException("a bug of ours in enter");
      }
      return token;
    }

    @Override public Object exit(Object self, int kind, String method, Object token, Object[] args, Object result,
                                 Throwable thrown) {
      calls.add("exit " + kind + " " + method + " args=" + Arrays.toString(args) + " result=" + result
          + " thrown=" + thrown);
      if (failInExit) {
        throw new IllegalStateException("a bug of ours in exit");
      }
      return outcome;
    }

    @Override public void succeeded(Object self, int kind, String method, Object token, Object[] args, Object arg0,
                                    Object result) {
      calls.add("succeeded " + kind + " " + method + " args=" + (args == null ? "null" : Arrays.toString(args))
          + " arg0=" + arg0 + " result=" + result);
      if (failInExit) {
        throw new IllegalStateException("a bug of ours in succeeded");
      }
    }

    @Override public void parameterSet(Object self, String method, int index, long bits, Object value) {
      calls.add("parameterSet " + method + " " + index + " " + bits + " " + value);
    }

    @Override public Object enterWithState(Object state, int kind) {
      states.add(state);
      return enter(null, kind);
    }

    @Override public Object exitWithState(Object state, int kind, String method, Object token, Object[] args,
                                          Object result, Throwable thrown) {
      states.add(state);
      return exit(null, kind, method, token, args, result, thrown);
    }

    @Override public void succeededWithState(Object state, int kind, String method, Object token, Object[] args,
                                             Object arg0, Object result) {
      states.add(state);
      succeeded(null, kind, method, token, args, arg0, result);
    }

    @Override public void parameterSetWithState(Object state, String method, int index, long bits, Object value) {
      states.add(state);
      parameterSet(null, method, index, bits, value);
    }

    @Override public void connecting() {
      calls.add("connecting");
    }

    @Override public void connected(Object connection, Object source, Object arg0, Object arg1) {
      calls.add("connected " + (connection == null ? "null" : "conn") + " " + arg0);
    }

    List<String> only(String prefix) {
      List<String> lines = new ArrayList<String>();
      for (String call : calls) {
        if (call.startsWith(prefix)) {
          lines.add(call);
        }
      }
      return lines;
    }
  }
}
