package connguard.boot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Which methods of a class implement a java.sql interface method: by name and parameter types
 * against the interfaces the class really implements (one hierarchy walk per class, not one per
 * method). Signatures are "name(parameter descriptors)": the return type may be covariant.
 */
final class JdbcSignatures {
  private static final Map<String, Set<String>> BY_INTERFACE = new HashMap<String, Set<String>>();

  static {
    Class<?>[] interfaces = {Connection.class, Statement.class, PreparedStatement.class,
        CallableStatement.class, ResultSet.class, Wrapper.class, AutoCloseable.class};
    for (Class<?> type : interfaces) {
      BY_INTERFACE.put(Type.getInternalName(type), declaredSignatures(type));
    }
  }

  /**
   * The public instance methods {@code type} declares, read from its class file: reflection
   * ({@code getMethods}) would load every parameter and return type of java.sql at the first JDBC
   * class (Clob, Struct, Calendar ...). Inherited methods come from the supertypes' own entries,
   * as {@link #implementedBy} unites every supertype of a class.
   */
  private static Set<String> declaredSignatures(Class<?> type) {
    final Set<String> signatures = new HashSet<String>();
    try {
      new ClassReader(ClassFiles.ofJdkClass(type)).accept(new ClassVisitor(Opcodes.ASM9) {
          @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                     String[] exceptions) {
            if ((access & Opcodes.ACC_PUBLIC) != 0 && (access & Opcodes.ACC_STATIC) == 0) {
              signatures.add(signature(name, descriptor));
            }
            return null;
          }
      }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    } catch (Exception | LinkageError noClassFile) {
      for (Method m : type.getMethods()) {       // a runtime without class files of its own: reflection
        if (!Modifier.isStatic(m.getModifiers())) {
          signatures.add(signature(m.getName(), Type.getMethodDescriptor(m)));
        }
      }
    }
    return signatures;
  }

  private JdbcSignatures() {}

  /** The java.sql method signatures a class whose supertypes (internal names) are {@code types} implements. */
  static Set<String> implementedBy(Collection<String> types) {
    Set<String> signatures = new HashSet<String>();
    for (String type : types) {
      Set<String> own = BY_INTERFACE.get(type);
      if (own != null) {
        signatures.addAll(own);
      }
    }
    return signatures;
  }

  /** A public, concrete instance method implementing one of {@code signatures}. */
  static boolean isWoven(int access, String name, String descriptor, Set<String> signatures) {
    return (access & Opcodes.ACC_PUBLIC) != 0 && isConcreteInstanceMethod(access, name)
        && signatures.contains(signature(name, descriptor));
  }

  /** Has a body of its own that a wrapper can call: not static, abstract, native, a bridge or a constructor. */
  static boolean isConcreteInstanceMethod(int access, String name) {
    int excluded = Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_BRIDGE | Opcodes.ACC_NATIVE;
    return (access & excluded) == 0 && name.charAt(0) != '<';
  }

  private static String signature(String name, String descriptor) {
    return name + descriptor.substring(0, descriptor.indexOf(')') + 1);
  }
}
