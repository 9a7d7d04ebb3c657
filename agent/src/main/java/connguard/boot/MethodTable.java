package connguard.boot;

import org.objectweb.asm.ClassReader;

/**
 * A class file's method table read in place, as the JVM specification lays it out (JVMS 4.1):
 * for the looks at a class that run before, or instead of, a visitor ({@link WeavableMethods},
 * {@link PlainMethods}). Each method_info is access, name, descriptor (constant pool indexes the
 * reader has resolved to offsets already), then its attributes.
 */
final class MethodTable {
  private MethodTable() {}

  /** The offset of methods_count: after access, this_class, super_class, the interfaces and the fields. */
  static int countOffset(ClassReader reader) {
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset);
    int fields = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      offset = afterAttributes(reader, offset + 6);
    }
    return offset;
  }

  /** @param offset at a member's attributes_count; returns the offset after its attributes */
  static int afterAttributes(ClassReader reader, int offset) {
    int attributes = reader.readUnsignedShort(offset);
    offset += 2;
    for (int j = 0; j < attributes; j++) {
      offset += 6 + reader.readInt(offset + 2);
    }
    return offset;
  }
}
