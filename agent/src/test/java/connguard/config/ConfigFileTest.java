package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir
  Path dir;

  private final List<String> problems = new ArrayList<>();

  @Test
  void readsEntriesSortedByNameAsUtf8() throws IOException {
    Path file = write("connguard.properties",
        "# comment\nmaxRetries = 3\nconnguard.logLevel=debug\nidempotentSql=^insert into \u00e4rger\n");
    assertEquals("[connguard.logLevel=debug, idempotentSql=^insert into \u00e4rger, maxRetries=3]",
        ConfigFile.read(file.toString(), problems).toString());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void missingFileGivesOneLineWithPathAndReason() {
    Path missing = dir.resolve("nope.properties");
    assertTrue(ConfigFile.read(missing.toString(), problems).isEmpty());
    assertEquals(Arrays.asList("connguard: config file \"" + missing + "\" not read (not found); using the other sources"),
        problems);
  }

  @Test
  void missingRelativePathSaysWhereItLooked() {
    ConfigFile.read("no-such-dir/nope.properties", problems);
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("not found; looked for /"), problems.get(0));
  }

  @Test
  void fileLargerThanOneMebibyteIsRefused() throws IOException {
    Path big = write("big.properties", padding(ConfigFile.MAX_BYTES - "maxRetries=3\n".length() + 1) + "maxRetries=3\n");
    assertEquals(ConfigFile.MAX_BYTES + 1, Files.size(big));
    assertTrue(ConfigFile.read(big.toString(), problems).isEmpty());
    assertEquals(Arrays.asList("connguard: config file \"" + big + "\" not read (larger than 1 MiB); using the other sources"),
        problems);
  }

  @Test
  void fileOfExactlyOneMebibyteIsRead() throws IOException {
    Path file = write("limit.properties", padding(ConfigFile.MAX_BYTES - "maxRetries=3\n".length()) + "maxRetries=3\n");
    assertEquals(ConfigFile.MAX_BYTES, Files.size(file));
    assertEquals("[maxRetries=3]", ConfigFile.read(file.toString(), problems).toString());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void directoryIsRefused() {
    assertTrue(ConfigFile.read(dir.toString(), problems).isEmpty());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("\"" + dir + "\" not read (a directory, not a file)"), problems.get(0));
  }

  @Test
  void malformedEscapeIsOneLine() throws IOException {
    Path file = write("bad.properties", "maxRetries=\\uZZZZ\n");
    assertTrue(ConfigFile.read(file.toString(), problems).isEmpty());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("connguard: config file \"" + file + "\" not read ("), problems.get(0));
  }

  @Test
  void namedPipeIsRefusedInsteadOfBlockingTheStart() throws Exception {
    Path fifo = dir.resolve("fifo");
    assumeTrue(mkfifo(fifo), "mkfifo not available");
    List<Map.Entry<String, String>> entries =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ConfigFile.read(fifo.toString(), problems));
    assertTrue(entries.isEmpty());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("not read (not a regular file)"), problems.get(0));
  }

  private Path write(String name, String text) throws IOException {
    return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Comment lines of exactly this many bytes in total. */
  private static String padding(int bytes) {
    StringBuilder text = new StringBuilder(bytes);
    while (text.length() < bytes) {
      int line = Math.min(100, bytes - text.length());
      if (line == 1) {
        text.append('\n');
        continue;
      }
      text.append('#');
      for (int i = 1; i < line - 1; i++) {
        text.append('x');
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static boolean mkfifo(Path path) {
    try {
      Process process = new ProcessBuilder("mkfifo", path.toString()).start();
      return process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException notAvailable) {
      return false;
    }
  }
}
