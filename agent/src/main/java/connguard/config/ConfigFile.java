package connguard.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads the properties file named by {@code config}: UTF-8, at most 1 MiB, a regular file only.
 * When it cannot, it says why in one line and returns nothing; the other sources still apply.
 */
final class ConfigFile {
  /** An options file is a few hundred bytes; anything near this limit is the wrong file. */
  static final int MAX_BYTES = 1024 * 1024;

  private ConfigFile() {}

  /** The file's entries sorted by name, so problem lines come in a stable order. */
  static List<Map.Entry<String, String>> read(String pathText, List<String> problems) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    try {
      Properties properties = load(Paths.get(pathText));
      for (String name : new TreeSet<>(properties.stringPropertyNames())) {
        entries.add(new SimpleImmutableEntry<>(name, properties.getProperty(name)));
      }
    } catch (Unreadable e) {
      problems.add(Problems.configFileNotRead(pathText, e.getMessage()));
    } catch (InvalidPathException e) {
      problems.add(Problems.configFileNotRead(pathText, "not a valid path: " + e.getReason()));
    } catch (NoSuchFileException e) {
      problems.add(Problems.configFileNotRead(pathText, notFound(pathText)));
    } catch (AccessDeniedException e) {
      problems.add(Problems.configFileNotRead(pathText, "permission denied"));
    } catch (IOException | RuntimeException e) {
      // Properties.load throws IllegalArgumentException for a malformed unicode escape.
      problems.add(Problems.configFileNotRead(pathText, String.valueOf(e.getMessage())));
    }
    return entries;
  }

  private static Properties load(Path path) throws IOException, Unreadable {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    // Opening a FIFO blocks until someone writes to it, and /dev/zero never ends: the agent runs
    // in premain, so either would hang the application's start.
    if (Files.isDirectory(path)) {
      throw new Unreadable("a directory, not a file");
    }
    if (!Files.isRegularFile(path)) {
      throw new Unreadable("not a regular file");
    }
    Properties properties = new Properties();
    properties.load(new InputStreamReader(new ByteArrayInputStream(readAtMostLimit(path)), StandardCharsets.UTF_8));
    return properties;
  }

  /** A relative path is resolved against the working directory, which is often not the one the user thinks. */
  private static String notFound(String pathText) {
    Path path = Paths.get(pathText);
    return path.isAbsolute() ? "not found" : "not found; looked for " + path.toAbsolutePath();
  }

  /** Reads up to the limit and refuses a larger file, also one that grows while we read. */
  private static byte[] readAtMostLimit(Path path) throws IOException, Unreadable {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.write(buffer, 0, n);
        if (bytes.size() > MAX_BYTES) {
          throw new Unreadable("larger than 1 MiB");
        }
      }
    }
    return bytes.toByteArray();
  }

  /** A reason of ours for not reading the file; the message is the reason. */
  private static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String reason) {
      super(reason, null, false, false);
    }
  }
}
