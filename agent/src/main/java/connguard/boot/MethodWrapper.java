package connguard.boot;

import connguard.bridge.MethodKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the code of a woven method: the driver's own body is kept, renamed to a private method
 * ({@link #bodyName}), and the method of the original name becomes a small wrapper that calls
 * {@code connguard.bridge.Hooks} before and after the body. The wrapper is what the advice classes
 * of {@code connguard.advice} say, as bytecode: the same calls, the same suppression of our own
 * errors, the same outcome for the app.
 *
 * <pre>
 *   Object state = this.connguard$state();               // the field the weaver added
 *   if (state == null) return body(args);                // not guarded (driver internals, replacements)
 *   Object token = Hooks.enterWithState(state, KIND);    // our error: token = null
 *   if (token == null) return body(args);                // nested: the body alone
 *   R result = default; Throwable thrown = null;
 *   if (!(token instanceof Skip)) try { result = body(args); } catch (Throwable t) { thrown = t; }
 *   try {                                                // our error: the outcome stands
 *     if (thrown == null &amp;&amp; !(token instanceof Skip)) { Hooks.succeededWithState(...); }  // or parameterSet...
 *     else { Object outcome = Hooks.exitWithState(state, KIND, "name(desc)", token, args[], result, thrown);
 *            if (outcome instanceof Failure) thrown = cause; else if (outcome != UNCHANGED) { result = outcome; thrown = null; } }
 *   } catch (Throwable ours) {}
 *   if (thrown != null) throw thrown; return result;
 * </pre>
 *
 * The state is read through the class's own accessor (a virtual call the JIT inlines), not as
 * {@code instanceof Guarded} on the bridge's side: an interface check on a driver class with many
 * interfaces can miss HotSpot's one-entry cache of secondary supertypes on every call (JDK 17).
 *
 * <p>Why a renamed body and not code inlined into it: the body is left byte for byte as the driver's
 * compiler wrote it (its stack map frames stay valid, nothing to recompute, no class loading to
 * find common supertypes), and the wrapper's few frames are known in advance. Names only
 * {@code java.*} and {@code connguard.bridge.*}: it runs in the driver's class loader.
 */
final class MethodWrapper {
  static final String BODY_PREFIX = "connguard$";
  private static final String HOOKS = "connguard/bridge/Hooks";
  private static final String SKIP = "connguard/bridge/Skip";
  private static final String FAILURE = "connguard/bridge/Failure";
  private static final String OBJECT = "java/lang/Object";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String ENTER = "(Ljava/lang/Object;I)Ljava/lang/Object;";
  private static final String EXIT = "(Ljava/lang/Object;ILjava/lang/String;Ljava/lang/Object;[Ljava/lang/Object;"
      + "Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";
  private static final String SUCCEEDED = "(Ljava/lang/Object;ILjava/lang/String;Ljava/lang/Object;[Ljava/lang/Object;"
      + "Ljava/lang/Object;Ljava/lang/Object;)V";
  private static final String PARAMETER_SET = "(Ljava/lang/Object;Ljava/lang/String;IJLjava/lang/Object;)V";
  private static final String CONNECTED = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V";

  private final MethodVisitor mv;
  private final String owner;
  private final String name;
  private final String descriptor;
  private final Type[] args;
  private final Type returned;
  private final boolean frames;
  /** The locals every frame starts with: this and the arguments, as the verifier types them. */
  private final List<Object> baseLocals = new ArrayList<Object>();
  private final int firstFreeSlot;

  /**
   * @param frames the class file is version 50 (Java 6) or later: the wrapper's branch targets
   *     get stack map frames
   */
  MethodWrapper(MethodVisitor mv, String owner, String name, String descriptor, boolean frames) {
    this.mv = mv;
    this.owner = owner;
    this.name = name;
    this.descriptor = descriptor;
    this.args = Type.getArgumentTypes(descriptor);
    this.returned = Type.getReturnType(descriptor);
    this.frames = frames;
    baseLocals.add(owner);
    int slot = 1;
    for (Type arg : args) {
      baseLocals.add(frameType(arg));
      slot += arg.getSize();
    }
    this.firstFreeSlot = slot;
  }

  static String bodyName(String name) {
    return BODY_PREFIX + name;
  }

  /** The access of the renamed body: private (only the wrapper calls it); the wrapper keeps the monitor. */
  static int bodyAccess(int access) {
    return (access & ~(Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_VARARGS | Opcodes.ACC_SYNCHRONIZED))
        | Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC;
  }

  /** A Connection, Statement or ResultSet method: {@code shape} is one of {@link JdbcMethods#GENERAL} and its siblings. */
  void guardedCall(int kind, int shape) {
    int state = firstFreeSlot;
    int token = state + 1;
    int result = token + 1;
    int thrown = result + returned.getSize();
    int outcome = thrown + 1;
    List<Object> withState = locals(OBJECT);
    List<Object> withToken = locals(OBJECT, OBJECT);
    List<Object> all = returned.getSort() == Type.VOID ? locals(OBJECT, OBJECT, THROWABLE, OBJECT)
        : locals(OBJECT, OBJECT, frameType(returned), THROWABLE, OBJECT);

    Label haveState = new Label();
    Label enterStart = new Label(), enterEnd = new Label(), enterHandler = new Label(), afterEnter = new Label();
    Label guarded = new Label(), bodyStart = new Label(), bodyEnd = new Label(), bodyHandler = new Label();
    Label exit = new Label(), full = new Label(), value = new Label(), exitEnd = new Label(), exitHandler = new Label();
    Label finish = new Label(), normal = new Label();
    mv.visitCode();
    mv.visitTryCatchBlock(enterStart, enterEnd, enterHandler, THROWABLE);
    mv.visitTryCatchBlock(bodyStart, bodyEnd, bodyHandler, THROWABLE);
    mv.visitTryCatchBlock(exit, exitEnd, exitHandler, THROWABLE);

    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, GuardingClassVisitor.STATE_FIELD, "()Ljava/lang/Object;", false);
    mv.visitVarInsn(Opcodes.ASTORE, state);
    mv.visitVarInsn(Opcodes.ALOAD, state);
    mv.visitJumpInsn(Opcodes.IFNONNULL, haveState);
    callBody();
    mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
    frame(haveState, withState, null);
    mv.visitLabel(enterStart);
    mv.visitVarInsn(Opcodes.ALOAD, state);
    push(kind);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "enterWithState", ENTER, false);
    mv.visitVarInsn(Opcodes.ASTORE, token);
    mv.visitLabel(enterEnd);
    mv.visitJumpInsn(Opcodes.GOTO, afterEnter);
    frame(enterHandler, withState, THROWABLE);
    mv.visitInsn(Opcodes.POP);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, token);
    frame(afterEnter, withToken, null);
    mv.visitVarInsn(Opcodes.ALOAD, token);
    mv.visitJumpInsn(Opcodes.IFNONNULL, guarded);
    callBody();
    mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));

    frame(guarded, withToken, null);
    if (returned.getSort() != Type.VOID) {
      pushDefault(returned);
      mv.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), result);
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, thrown);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, outcome);
    mv.visitVarInsn(Opcodes.ALOAD, token);
    mv.visitTypeInsn(Opcodes.INSTANCEOF, SKIP);
    mv.visitJumpInsn(Opcodes.IFNE, exit);
    mv.visitLabel(bodyStart);
    callBody();
    if (returned.getSort() != Type.VOID) {
      mv.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), result);
    }
    mv.visitLabel(bodyEnd);
    mv.visitJumpInsn(Opcodes.GOTO, exit);
    frame(bodyHandler, all, THROWABLE);
    mv.visitVarInsn(Opcodes.ASTORE, thrown);

    frame(exit, all, null);
    boolean successPath = shape != JdbcMethods.GENERAL || (kind & MethodKind.EXIT_ON_SUCCESS) == 0;
    if (successPath) {
      mv.visitVarInsn(Opcodes.ALOAD, thrown);
      mv.visitJumpInsn(Opcodes.IFNONNULL, full);
      mv.visitVarInsn(Opcodes.ALOAD, token);
      mv.visitTypeInsn(Opcodes.INSTANCEOF, SKIP);
      mv.visitJumpInsn(Opcodes.IFNE, full);
      succeeded(kind, shape, state, token, result);
      mv.visitJumpInsn(Opcodes.GOTO, finish);
      frame(full, all, null);
    }
    mv.visitVarInsn(Opcodes.ALOAD, state);
    push(kind);
    mv.visitLdcInsn(name + descriptor);
    mv.visitVarInsn(Opcodes.ALOAD, token);
    pushArgumentArray();
    if (shape == JdbcMethods.GENERAL && returned.getSort() != Type.VOID) {
      loadBoxed(returned, result);
    } else {
      mv.visitInsn(Opcodes.ACONST_NULL);         // setters are void
    }
    mv.visitVarInsn(Opcodes.ALOAD, thrown);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "exitWithState", EXIT, false);
    mv.visitVarInsn(Opcodes.ASTORE, outcome);
    mv.visitVarInsn(Opcodes.ALOAD, outcome);
    mv.visitFieldInsn(Opcodes.GETSTATIC, HOOKS, "UNCHANGED", "Ljava/lang/Object;");
    mv.visitJumpInsn(Opcodes.IF_ACMPEQ, finish);
    mv.visitVarInsn(Opcodes.ALOAD, outcome);
    mv.visitTypeInsn(Opcodes.INSTANCEOF, FAILURE);
    mv.visitJumpInsn(Opcodes.IFEQ, value);
    mv.visitVarInsn(Opcodes.ALOAD, outcome);
    mv.visitTypeInsn(Opcodes.CHECKCAST, FAILURE);
    mv.visitFieldInsn(Opcodes.GETFIELD, FAILURE, "cause", "Ljava/lang/Throwable;");
    mv.visitVarInsn(Opcodes.ASTORE, thrown);
    mv.visitJumpInsn(Opcodes.GOTO, finish);
    frame(value, all, null);
    if (returned.getSort() != Type.VOID) {
      mv.visitVarInsn(Opcodes.ALOAD, outcome);
      unbox(returned);
      mv.visitVarInsn(returned.getOpcode(Opcodes.ISTORE), result);
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, thrown);
    mv.visitLabel(exitEnd);
    mv.visitJumpInsn(Opcodes.GOTO, finish);
    frame(exitHandler, all, THROWABLE);
    mv.visitInsn(Opcodes.POP);                     // a bug of ours: the app's outcome stands

    frame(finish, all, null);
    mv.visitVarInsn(Opcodes.ALOAD, thrown);
    mv.visitJumpInsn(Opcodes.IFNULL, normal);
    mv.visitVarInsn(Opcodes.ALOAD, thrown);
    mv.visitInsn(Opcodes.ATHROW);
    frame(normal, all, null);
    if (returned.getSort() != Type.VOID) {
      mv.visitVarInsn(returned.getOpcode(Opcodes.ILOAD), result);
    }
    mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(Math.max(12, firstFreeSlot + 4), outcome + 1);   // outcome is the last local
    mv.visitEnd();
  }

  /** The success path: bookkeeping only, with no argument array and no box where the shape allows. */
  private void succeeded(int kind, int shape, int state, int token, int result) {
    if (shape == JdbcMethods.GENERAL) {
      mv.visitVarInsn(Opcodes.ALOAD, state);
      push(kind);
      mv.visitLdcInsn(name + descriptor);
      mv.visitVarInsn(Opcodes.ALOAD, token);
      if ((kind & MethodKind.NEEDS_ARGS) != 0) {
        pushArgumentArray();
      } else {
        mv.visitInsn(Opcodes.ACONST_NULL);
      }
      if ((kind & MethodKind.NEEDS_ARG0) != 0 && args.length > 0) {
        loadBoxed(args[0], 1);
      } else {
        mv.visitInsn(Opcodes.ACONST_NULL);
      }
      if ((kind & MethodKind.NEEDS_RESULT) != 0 && returned.getSort() != Type.VOID) {
        loadBoxed(returned, result);
      } else {
        mv.visitInsn(Opcodes.ACONST_NULL);
      }
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "succeededWithState", SUCCEEDED, false);
      return;
    }
    // setX(int index, value): the value as long bits or as a reference (see Hooks.parameterSet).
    Type valueType = args[1];
    mv.visitVarInsn(Opcodes.ALOAD, state);
    mv.visitLdcInsn(name + descriptor);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    if (shape == JdbcMethods.OBJECT_VALUE) {
      mv.visitInsn(Opcodes.LCONST_0);
      loadBoxed(valueType, 2);
    } else {
      mv.visitVarInsn(valueType.getOpcode(Opcodes.ILOAD), 2);
      if (shape == JdbcMethods.LONG_VALUE) {
        if (valueType.getSort() != Type.LONG) {
          mv.visitInsn(Opcodes.I2L);
        }
      } else {
        if (valueType.getSort() == Type.FLOAT) {
          mv.visitInsn(Opcodes.F2D);
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
      }
      mv.visitInsn(Opcodes.ACONST_NULL);
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "parameterSetWithState", PARAMETER_SET, false);
  }

  /**
   * {@code Driver.connect(url, info)} or a driver DataSource's {@code getConnection([user, password])}:
   * {@code Hooks.connecting()} before, {@code Hooks.connected(connection or null, this, arg0, arg1)}
   * after, whether the body returned or threw.
   */
  void connect() {
    int result = firstFreeSlot;
    int thrown = result + 1;
    List<Object> all = locals(OBJECT, THROWABLE);
    Label enterStart = new Label(), enterEnd = new Label(), enterHandler = new Label(), afterEnter = new Label();
    Label bodyStart = new Label(), bodyEnd = new Label(), bodyHandler = new Label();
    Label exit = new Label(), exitEnd = new Label(), exitHandler = new Label(), finish = new Label(), normal = new Label();
    mv.visitCode();
    mv.visitTryCatchBlock(enterStart, enterEnd, enterHandler, THROWABLE);
    mv.visitTryCatchBlock(bodyStart, bodyEnd, bodyHandler, THROWABLE);
    mv.visitTryCatchBlock(exit, exitEnd, exitHandler, THROWABLE);
    mv.visitLabel(enterStart);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "connecting", "()V", false);
    mv.visitLabel(enterEnd);
    mv.visitJumpInsn(Opcodes.GOTO, afterEnter);
    frame(enterHandler, baseLocals, THROWABLE);
    mv.visitInsn(Opcodes.POP);
    frame(afterEnter, baseLocals, null);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, result);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, thrown);
    mv.visitLabel(bodyStart);
    callBody();
    mv.visitVarInsn(Opcodes.ASTORE, result);
    mv.visitLabel(bodyEnd);
    mv.visitJumpInsn(Opcodes.GOTO, exit);
    frame(bodyHandler, all, THROWABLE);
    mv.visitVarInsn(Opcodes.ASTORE, thrown);
    frame(exit, all, null);
    mv.visitVarInsn(Opcodes.ALOAD, result);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    for (int i = 0; i < 2; i++) {
      if (i < args.length && args[i].getSize() == 1 && isReference(args[i])) {
        mv.visitVarInsn(Opcodes.ALOAD, 1 + i);
      } else {
        mv.visitInsn(Opcodes.ACONST_NULL);
      }
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "connected", CONNECTED, false);
    mv.visitLabel(exitEnd);
    mv.visitJumpInsn(Opcodes.GOTO, finish);
    frame(exitHandler, all, THROWABLE);
    mv.visitInsn(Opcodes.POP);
    frame(finish, all, null);
    mv.visitVarInsn(Opcodes.ALOAD, thrown);
    mv.visitJumpInsn(Opcodes.IFNULL, normal);
    mv.visitVarInsn(Opcodes.ALOAD, thrown);
    mv.visitInsn(Opcodes.ATHROW);
    frame(normal, all, null);
    mv.visitVarInsn(Opcodes.ALOAD, result);
    mv.visitTypeInsn(Opcodes.CHECKCAST, returned.getInternalName());
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(Math.max(6, firstFreeSlot + 1), thrown + 1);
    mv.visitEnd();
  }

  /** After the body returned normally: {@code Hooks.poolConfigured(this)}; its errors are ours and suppressed. */
  void afterReturn() {
    Label start = new Label(), end = new Label(), handler = new Label(), finish = new Label();
    mv.visitCode();
    mv.visitTryCatchBlock(start, end, handler, THROWABLE);
    callBody();
    mv.visitLabel(start);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "poolConfigured", "(Ljava/lang/Object;)V", false);
    mv.visitLabel(end);
    mv.visitJumpInsn(Opcodes.GOTO, finish);
    frame(handler, baseLocals, THROWABLE);
    mv.visitInsn(Opcodes.POP);
    frame(finish, baseLocals, null);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(Math.max(2, firstFreeSlot), firstFreeSlot);
    mv.visitEnd();
  }

  private void callBody() {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    int slot = 1;
    for (Type arg : args) {
      mv.visitVarInsn(arg.getOpcode(Opcodes.ILOAD), slot);
      slot += arg.getSize();
    }
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, bodyName(name), descriptor, false);
  }

  private void pushArgumentArray() {
    if (args.length == 0) {
      mv.visitFieldInsn(Opcodes.GETSTATIC, HOOKS, "NO_ARGS", "[Ljava/lang/Object;");
      return;
    }
    push(args.length);
    mv.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      mv.visitInsn(Opcodes.DUP);
      push(i);
      loadBoxed(args[i], slot);
      mv.visitInsn(Opcodes.AASTORE);
      slot += args[i].getSize();
    }
  }

  private void loadBoxed(Type type, int slot) {
    mv.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
    Type box = boxOf(type);
    if (box != null) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, box.getInternalName(), "valueOf",
          Type.getMethodDescriptor(box, type), false);
    }
  }

  /** As Byte Buddy's dynamic typing: a reference is cast, a primitive is unboxed from its box. */
  private void unbox(Type type) {
    Type box = boxOf(type);
    if (box == null) {
      mv.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
      return;
    }
    mv.visitTypeInsn(Opcodes.CHECKCAST, box.getInternalName());
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box.getInternalName(), type.getClassName() + "Value",
        Type.getMethodDescriptor(type), false);
  }

  private static Type boxOf(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN: return Type.getObjectType("java/lang/Boolean");
      case Type.CHAR: return Type.getObjectType("java/lang/Character");
      case Type.BYTE: return Type.getObjectType("java/lang/Byte");
      case Type.SHORT: return Type.getObjectType("java/lang/Short");
      case Type.INT: return Type.getObjectType("java/lang/Integer");
      case Type.FLOAT: return Type.getObjectType("java/lang/Float");
      case Type.LONG: return Type.getObjectType("java/lang/Long");
      case Type.DOUBLE: return Type.getObjectType("java/lang/Double");
      default: return null;
    }
  }

  private static boolean isReference(Type type) {
    return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
  }

  private void pushDefault(Type type) {
    switch (type.getSort()) {
      case Type.LONG: mv.visitInsn(Opcodes.LCONST_0); break;
      case Type.FLOAT: mv.visitInsn(Opcodes.FCONST_0); break;
      case Type.DOUBLE: mv.visitInsn(Opcodes.DCONST_0); break;
      case Type.OBJECT: case Type.ARRAY: mv.visitInsn(Opcodes.ACONST_NULL); break;
      default: mv.visitInsn(Opcodes.ICONST_0);
    }
  }

  private void push(int value) {
    if (value >= -1 && value <= 5) {
      mv.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.BIPUSH, value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      mv.visitLdcInsn(value);
    }
  }

  private List<Object> locals(Object... extra) {
    List<Object> locals = new ArrayList<Object>(baseLocals);
    locals.addAll(Arrays.asList(extra));
    return locals;
  }

  /** Places {@code label} with a full frame: these locals, and on the stack nothing or one {@code stackTop}. */
  private void frame(Label label, List<Object> locals, Object stackTop) {
    mv.visitLabel(label);
    if (frames) {
      mv.visitFrame(Opcodes.F_FULL, locals.size(), locals.toArray(),
          stackTop == null ? 0 : 1, stackTop == null ? new Object[0] : new Object[] {stackTop});
    }
  }

  private static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN: case Type.CHAR: case Type.BYTE: case Type.SHORT: case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT: return Opcodes.FLOAT;
      case Type.LONG: return Opcodes.LONG;
      case Type.DOUBLE: return Opcodes.DOUBLE;
      default: return type.getInternalName();
    }
  }
}
