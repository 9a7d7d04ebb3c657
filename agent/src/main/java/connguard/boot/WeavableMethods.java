package connguard.boot;

import org.objectweb.asm.ClassReader;

/**
 * Does a class declare any method the weaver could wrap, whatever its supertypes? Asked before
 * they are looked up: in a Spring Boot JPA app ~430 classes mention {@code java/sql/} (a method
 * taking a Connection, a field of type ResultSet ...), only ~70 of them declare a method with a
 * JDBC signature, and finding the supertypes of the others was most of the agent's work at
 * start-up (class files read through their loaders).
 *
 * <p>Leaving such a class as it is changes nothing: weaving wraps only the methods a class
 * declares, and the state field it would also get is inherited from a guarded superclass, if it
 * has one, with the accessors that read it.
 *
 * <p>Reads the method table in place ({@link MethodTable}), without a visitor: no object per
 * method or attribute, and a descriptor decoded only for a method whose name could be woven.
 */
final class WeavableMethods {
  private WeavableMethods() {}

  /** True if the class declares a concrete instance method whose signature {@link JdbcSignatures#mayBeWoven}. */
  static boolean declaredIn(ClassReader reader) {
    char[] buffer = new char[reader.getMaxStringLength()];
    int offset = MethodTable.countOffset(reader);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      int access = reader.readUnsignedShort(offset);
      String name = reader.readUTF8(offset + 2, buffer);
      if (JdbcSignatures.isConcreteInstanceMethod(access, name) && JdbcSignatures.mayBeWovenName(name)
          && JdbcSignatures.mayBeWoven(JdbcSignatures.signature(name, reader.readUTF8(offset + 4, buffer)))) {
        return true;
      }
      offset = MethodTable.afterAttributes(reader, offset + 6);
    }
    return false;
  }
}
