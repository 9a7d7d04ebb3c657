package connguard.it.loading.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;

/**
 * Connection classes defined from bytes at run time, with no class file anyone could read back, as
 * proxy generators make them: copies of {@link DelegatingConnection} and {@link ForeignConnection}
 * under names of the same length. The agent cannot resolve the subclass's hierarchy from class
 * files, so it cannot weave it; the app must run as without the agent.
 */
public final class GeneratedClasses extends ClassLoader {
  private static final String BASE = "connguard/it/loading/drivers/DelegatingConnection";
  private static final String SUB = "connguard/it/loading/drivers/ForeignConnection";
  public static final String GENERATED_BASE = "connguard/it/loading/drivers/DelegatingConnectioZ";
  public static final String GENERATED_SUB = "connguard/it/loading/drivers/ForeignConnectioZ";

  public GeneratedClasses() {
    super(GeneratedClasses.class.getClassLoader());
  }

  public static Connection wrap(Connection inner) throws Exception {
    Class<?> generated = new GeneratedClasses().loadClass(GENERATED_SUB.replace('/', '.'));
    return (Connection) generated.getConstructor(Connection.class).newInstance(inner);
  }

  @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
    String internal = name.replace('.', '/');
    String original = internal.equals(GENERATED_BASE) ? BASE : internal.equals(GENERATED_SUB) ? SUB : null;
    if (original == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes = renamed(read(original));
    return defineClass(name, bytes, 0, bytes.length);
  }

  private static byte[] read(String internalName) throws ClassNotFoundException {
    try (InputStream in = GeneratedClasses.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      if (in == null) {
        throw new ClassNotFoundException(internalName);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(internalName, e);
    }
  }

  /** Same-length replacement inside constant-pool strings keeps the class file valid. */
  private static byte[] renamed(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    text = text.replace(BASE, GENERATED_BASE).replace(SUB, GENERATED_SUB);
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
