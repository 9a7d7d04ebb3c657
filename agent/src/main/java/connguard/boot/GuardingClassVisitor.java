package connguard.boot;

import java.util.Arrays;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;

/**
 * Weaves one class being defined, as {@link WeavePlan} says: each woven method is split into its
 * renamed body and a wrapper ({@link MethodWrapper}); a guarded class also gets the state field
 * and implements {@code connguard.bridge.Guarded}. Everything else passes through untouched.
 */
final class GuardingClassVisitor extends ClassVisitor {
  static final String STATE_FIELD = "connguard$state";
  static final String GUARDED = "connguard/bridge/Guarded";

  private final WeavePlan plan;
  private final Set<String> signatures;
  /** Methods whose renamed body ASM may copy byte for byte ({@link PlainMethods}). */
  private final Set<String> plainMethods;
  private String owner;
  private boolean frames;
  private int woven;

  /**
   * @param next the ClassWriter made from the class's reader, directly: a body handed back as the
   *     writer's own MethodWriter is then copied, not parsed and written again
   */
  GuardingClassVisitor(ClassVisitor next, WeavePlan plan, Set<String> plainMethods) {
    super(Opcodes.ASM9, next);
    this.plan = plan;
    this.plainMethods = plainMethods;
    this.signatures = plan.role == null ? null : JdbcSignatures.implementedBy(plan.supertypes);
  }

  /** How many methods were woven: zero means the class is left as it was. */
  int woven() {
    return woven;
  }

  @Override public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
    owner = name;
    frames = (version & 0xFFFF) >= Opcodes.V1_6;
    if (plan.role != null && !Arrays.asList(interfaces).contains(GUARDED)) {
      interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
      interfaces[interfaces.length - 1] = GUARDED;
    }
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
    final Wrapping wrapping = wrappingOf(access, name, descriptor);
    if (wrapping == null) {
      return super.visitMethod(access, name, descriptor, signature, exceptions);
    }
    woven++;
    // The wrapper keeps the name, access and annotations (reflection sees the driver's method as
    // before); the body, renamed and private, keeps the code, its line numbers and its frames.
    final MethodVisitor wrapper = super.visitMethod(access, name, descriptor, signature, exceptions);
    MethodVisitor body = super.visitMethod(MethodWrapper.bodyAccess(access), MethodWrapper.bodyName(name),
        descriptor, signature, exceptions);
    final MethodWrapper code = new MethodWrapper(wrapper, owner, name, descriptor, frames);
    if (plainMethods.contains(name + descriptor)) {
      // Nothing for the wrapper to take over: write it now and hand ASM the body's own writer,
      // which it fills by copying the method's attributes (see PlainMethods).
      wrapping.write(code);
      return body;
    }
    return new MethodVisitor(Opcodes.ASM9, body) {
      @Override public void visitParameter(String parameter, int parameterAccess) {
        wrapper.visitParameter(parameter, parameterAccess);
      }

      @Override public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
        return wrapper.visitAnnotation(annotation, visible);
      }

      @Override public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String annotation,
                                                             boolean visible) {
        return wrapper.visitTypeAnnotation(typeRef, typePath, annotation, visible);
      }

      @Override public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
        wrapper.visitAnnotableParameterCount(parameterCount, visible);
      }

      @Override public AnnotationVisitor visitParameterAnnotation(int parameter, String annotation, boolean visible) {
        return wrapper.visitParameterAnnotation(parameter, annotation, visible);
      }

      @Override public void visitEnd() {
        super.visitEnd();
        wrapping.write(code);
      }
    };
  }

  @Override public void visitEnd() {
    if (plan.role != null) {
      addState();
    }
    super.visitEnd();
  }

  /** What the wrapper of a method does; null: the method is not woven. */
  private Wrapping wrappingOf(int access, String name, String descriptor) {
    if (!JdbcSignatures.isConcreteInstanceMethod(access, name)) {
      return null;
    }
    String signature = JdbcSignatures.signature(name, descriptor);
    char returns = descriptor.charAt(descriptor.indexOf(')') + 1);
    if (plan.driver && returns == 'L' && signature.equals(JdbcSignatures.DRIVER_CONNECT)) {
      return Wrapping.CONNECT;
    }
    if (plan.dataSource && returns == 'L' && (signature.equals(JdbcSignatures.DATA_SOURCE_CONNECT)
        || signature.equals(JdbcSignatures.DATA_SOURCE_CONNECT_AS))) {
      return Wrapping.CONNECT;
    }
    if (plan.poolConfig && returns == 'V' && signature.equals(JdbcSignatures.POOL_CONFIG_VALIDATE)) {
      return Wrapping.AFTER_RETURN;
    }
    if (plan.role == null || !JdbcSignatures.isWoven(access, name, descriptor, signatures)) {
      return null;
    }
    int kind = JdbcMethods.kindOf(plan.role, name, descriptor, plan.recordResults);
    return kind < 0 ? null : new Wrapping(kind, JdbcMethods.adviceFor(name, descriptor, kind));
  }

  /** A private field for the agent's state, and the two accessors of {@code Guarded}. */
  private void addState() {
    super.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_TRANSIENT, STATE_FIELD,
        "Ljava/lang/Object;", null, null).visitEnd();
    MethodVisitor get = super.visitMethod(Opcodes.ACC_PUBLIC, STATE_FIELD, "()Ljava/lang/Object;", null, null);
    get.visitCode();
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, owner, STATE_FIELD, "Ljava/lang/Object;");
    get.visitInsn(Opcodes.ARETURN);
    get.visitMaxs(1, 1);
    get.visitEnd();
    MethodVisitor set = super.visitMethod(Opcodes.ACC_PUBLIC, STATE_FIELD, "(Ljava/lang/Object;)V", null, null);
    set.visitCode();
    set.visitVarInsn(Opcodes.ALOAD, 0);
    set.visitVarInsn(Opcodes.ALOAD, 1);
    set.visitFieldInsn(Opcodes.PUTFIELD, owner, STATE_FIELD, "Ljava/lang/Object;");
    set.visitInsn(Opcodes.RETURN);
    set.visitMaxs(2, 2);
    set.visitEnd();
  }

  /** The wrapper a woven method gets. */
  private static final class Wrapping {
    static final Wrapping CONNECT = new Wrapping(-1, -1);
    static final Wrapping AFTER_RETURN = new Wrapping(-2, -1);

    private final int kind;
    private final int shape;

    Wrapping(int kind, int shape) {
      this.kind = kind;
      this.shape = shape;
    }

    void write(MethodWrapper code) {
      if (this == CONNECT) {
        code.connect();
      } else if (this == AFTER_RETURN) {
        code.afterReturn();
      } else {
        code.guardedCall(kind, shape);
      }
    }
  }
}
