package connguard.it.operability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar connguard.jar} alone tells a newcomer how to attach it and what every option does. */
class CliIT {
  @Test
  void runningTheJarPrintsUsageWithEveryOption() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-jar", System.getProperty("connguard.jar")))
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      out = bytes.toString(StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("-javaagent:connguard.jar"), out);
    for (String key : List.of("enabled", "maxRetries", "validateIdleAfter", "validationTimeout", "maxAge",
        "idempotentSql", "retryWindow", "transactionReplay", "logLevel", "dryRun", "statsInterval", "logFile", "config")) {
      assertTrue(out.contains("\n" + key + " "), "lists " + key + ":\n" + out);
    }
  }
}
