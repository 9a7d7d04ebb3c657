package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BytePatternTest {
  private static final BytePattern MARKER = JdbcClassFilter.MARKER;

  @Test
  void findsTheMarkerAnywhereIncludingTheEdges() {
    assertTrue(MARKER.isIn(ascii("java/sql/")));
    assertTrue(MARKER.isIn(ascii("xxjava/sql/Connection")));
    assertTrue(MARKER.isIn(ascii("jjava/sql/")));
    assertTrue(MARKER.isIn(ascii("java/sqjava/sql/")), "a partial match just before a full one");
    assertTrue(MARKER.isIn(ascii("Ljava/lang/Object;Ljava/sql/ResultSet;")));
  }

  @Test
  void ignoresNearMisses() {
    assertFalse(MARKER.isIn(ascii("java/sq")));
    assertFalse(MARKER.isIn(ascii("java/sqlx")));
    assertFalse(MARKER.isIn(ascii("javax/sql/")), "javax.sql alone is not java.sql");
    assertFalse(MARKER.isIn(ascii("ava/sql/")));
    assertFalse(MARKER.isIn(new byte[0]));
  }

  @Test
  void anEmptyPatternIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BytePattern(""));
  }

  /** The skips must never jump over a match: the same answer as reading every byte, on bytes full of near misses. */
  @Test
  void agreesWithAPlainSearchOnPiecesOfThePattern() {
    String[] pieces = {"java/sql/", "java/", "sql/", "jav", "a/sq", "l/", "j", "a", "/", "x", "javax/sql/"};
    Random random = new Random(26);
    int found = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(8); k > 0; k--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = ascii(text.toString());
      boolean expected = plainSearch(bytes, ascii("java/sql/"));
      found += expected ? 1 : 0;
      assertEquals(expected, MARKER.isIn(bytes), text.toString());
    }
    assertTrue(found > 1_000 && found < 19_000, "matches and misses both: " + found + " of 20000 match");
  }

  /** And on real class files: every class of the agent itself, those of heal naming java.sql and the rest not. */
  @Test
  void agreesWithAPlainSearchOnRealClassFiles() throws Exception {
    Path classes = Paths.get(JdbcClassFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Path> files = new ArrayList<Path>();
    try (Stream<Path> walk = Files.walk(classes)) {
      walk.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
    }
    int marked = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      boolean expected = plainSearch(bytes, ascii("java/sql/"));
      assertEquals(expected, MARKER.isIn(bytes), file.toString());
      marked += expected ? 1 : 0;
    }
    assertTrue(files.size() > 100 && marked > 20 && marked < files.size(), files.size() + " classes, " + marked + " marked");
  }

  /** The reference: every position, every byte. */
  private static boolean plainSearch(byte[] bytes, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
