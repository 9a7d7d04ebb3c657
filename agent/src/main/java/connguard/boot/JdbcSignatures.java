package connguard.boot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.Arrays;
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
  /** {@code Driver.connect(String, Properties)}: woven in a Driver (returning an object). */
  static final String DRIVER_CONNECT = "connect(Ljava/lang/String;Ljava/util/Properties;)";
  /** {@code DataSource.getConnection()} and {@code getConnection(user, password)}: woven in a driver's DataSource. */
  static final String DATA_SOURCE_CONNECT = "getConnection()";
  static final String DATA_SOURCE_CONNECT_AS = "getConnection(Ljava/lang/String;Ljava/lang/String;)";
  /** {@code HikariConfig.validate()}: woven in HikariCP's configuration (returning void). */
  static final String POOL_CONFIG_VALIDATE = "validate()";

  private static final Map<String, Set<String>> BY_INTERFACE = new HashMap<String, Set<String>>();
  /** Every signature the weaver wraps in any class, whatever its supertypes and the options: see {@link #mayBeWoven}. */
  private static final Set<String> ANY_WOVEN = new HashSet<String>();
  /** Their method names: most methods of most classes are told apart by name alone, before their descriptor is decoded. */
  private static final Set<String> ANY_WOVEN_NAMES = new HashSet<String>();

  static {
    Class<?>[] interfaces = {Connection.class, Statement.class, PreparedStatement.class,
        CallableStatement.class, ResultSet.class, Wrapper.class, AutoCloseable.class};
    for (Class<?> type : interfaces) {
      BY_INTERFACE.put(Type.getInternalName(type), declaredSignatures(type));
    }
    for (Set<String> own : BY_INTERFACE.values()) {
      ANY_WOVEN.addAll(own);
    }
    ANY_WOVEN.addAll(Arrays.asList(DRIVER_CONNECT, DATA_SOURCE_CONNECT, DATA_SOURCE_CONNECT_AS, POOL_CONFIG_VALIDATE));
    for (String signature : ANY_WOVEN) {
      ANY_WOVEN_NAMES.add(signature.substring(0, signature.indexOf('(')));
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

  /**
   * Could a concrete instance method of this signature be woven in some class? The filter's test
   * before it reads a class's supertypes ({@link WeavableMethods}); {@link GuardingClassVisitor}
   * weaves only methods whose signature is in this set (a test proves the two agree). ResultSet's
   * methods are in it with or without transactionReplay: a superset costs a few more supertype
   * reads, a subset would leave a class unwoven.
   */
  static boolean mayBeWoven(String signature) {
    return ANY_WOVEN.contains(signature);
  }

  /** False if no method of this name {@link #mayBeWoven}, whatever its parameters. */
  static boolean mayBeWovenName(String name) {
    return ANY_WOVEN_NAMES.contains(name);
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

  /** "name(parameter descriptors)": what an override must match, whatever its (covariant) return type. */
  static String signature(String name, String descriptor) {
    return name + descriptor.substring(0, descriptor.indexOf(')') + 1);
  }
}
