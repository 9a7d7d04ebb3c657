package connguard.boot;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * The methods of a class file that carry only attributes a renamed body keeps as they are: Code,
 * Exceptions, Signature, Synthetic, Deprecated. ASM copies such a body's bytes into the woven
 * class instead of parsing its code and writing it again, which was most of the time weaving took
 * at start-up (a JDBC connection class has a hundred woven methods, all of them interpreted ASM
 * work before the JIT warms up). A method with annotations, parameter names or anything else is
 * visited in full, so that its wrapper gets them: reflection on the driver's method sees them as
 * before.
 *
 * <p>Reads the method table straight from the class file ({@link MethodTable}): each method's
 * attribute names looked up in the constant pool.
 */
final class PlainMethods {
  private static final List<String> COPYABLE = Arrays.asList("Code", "Exceptions", "Signature", "Synthetic",
      "Deprecated");

  private PlainMethods() {}

  /** Name plus descriptor of each plain method, e.g. "close()V". */
  static Set<String> of(ClassReader reader) {
    Set<String> plain = new HashSet<String>();
    char[] buffer = new char[reader.getMaxStringLength()];
    int offset = MethodTable.countOffset(reader);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      String name = reader.readUTF8(offset + 2, buffer);
      String descriptor = reader.readUTF8(offset + 4, buffer);
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      boolean copyable = true;
      for (int j = 0; j < attributes; j++) {
        copyable &= COPYABLE.contains(reader.readUTF8(offset, buffer));
        offset += 6 + reader.readInt(offset + 2);
      }
      if (copyable) {
        plain.add(name + descriptor);
      }
    }
    return plain;
  }
}
