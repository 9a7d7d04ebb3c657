package connguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DoctorArgsTest {

  @ParameterizedTest(name = "\"{0}\": url={1} user={2} var={3} driverPath={4}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "jdbc:postgresql://h/db                                   | jdbc:postgresql://h/db | NULL | NULL       | NULL",
      "jdbc:postgresql://h/db app                               | jdbc:postgresql://h/db | app  | NULL       | NULL",
      "jdbc:postgresql://h/db app PGPASSWORD                    | jdbc:postgresql://h/db | app  | PGPASSWORD | NULL",
      "--driver-path pg.jar jdbc:postgresql://h/db app PGPASS    | jdbc:postgresql://h/db | app  | PGPASS     | pg.jar",
      "jdbc:postgresql://h/db app PGPASS --driver-path pg.jar    | jdbc:postgresql://h/db | app  | PGPASS     | pg.jar",
      "--driver-path=a.jar:b.jar jdbc:x                          | jdbc:x                 | NULL | NULL       | a.jar:b.jar",
  })
  void positionalArgumentsAndDriverPathInAnyOrder(String line, String url, String user, String variable,
      String driverPath) {
    Doctor.Args args = Doctor.Args.parse(line.trim().split("\\s+"));
    assertEquals(url, args.url);
    assertEquals(user, args.user);
    assertEquals(variable, args.passwordVariable);
    assertEquals(driverPath, args.driverPath);
  }

  @ParameterizedTest(name = "\"{0}\" is refused: {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                      | needs a JDBC URL",
      "--driver-path                           | needs a jar file",
      "--driver-path= jdbc:x                   | needs a jar file",
      "jdbc:x user VAR hunter2                 | too many arguments",
      "--verbose jdbc:x                        | unknown option",
      "--hunter2 jdbc:x                        | unknown option",
  })
  void wrongCommandLinesAreRefusedWithoutRepeatingArguments(String line, String expected) {
    String[] argv = line.trim().isEmpty() ? new String[0] : line.trim().split("\\s+");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Doctor.Args.parse(argv));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "a mistyped password is never echoed: " + e.getMessage());
  }

  @Test
  void passwordVariableThatIsNotSetIsNamedNowhere() {
    Run run = run(Collections.<String, String>emptyMap(), "jdbc:postgresql://127.0.0.1:1/test", "app", "hunter2");
    assertEquals(2, run.exitCode);
    assertFalse(run.err.contains("hunter2"), run.err);
    assertTrue(run.err.contains("password variable"), run.err);
    assertEquals("", run.out);
  }

  @Test
  void urlNoDriverAcceptsIsOneLineWithItsPasswordMasked() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCTOR_TEST_PASSWORD", "s3cr3t-pw");
    Run run = run(env, "jdbc:nosuchdriver://h/db?password=hunter2", "app", "DOCTOR_TEST_PASSWORD");
    assertEquals(1, run.exitCode);
    assertEquals(1, run.err.split("\n").length, run.err);
    assertTrue(run.err.startsWith("connguard doctor: cannot connect to jdbc:nosuchdriver://h/db?password=***: "
        + "no JDBC driver accepts this URL"), run.err);
    assertFalse(run.err.contains("hunter2") || run.err.contains("s3cr3t-pw"), run.err);
  }

  @Test
  void helpGoesToStandardOutput() {
    Run run = run(Collections.<String, String>emptyMap(), "--help");
    assertEquals(0, run.exitCode);
    assertTrue(run.out.contains("doctor <jdbc-url> [user] [password-env-var]"), run.out);
  }

  private static Run run(Map<String, String> env, String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Doctor.run(argv, env, new PrintStream(out, true), new PrintStream(err, true));
    return new Run(code, new String(out.toByteArray(), StandardCharsets.UTF_8),
        new String(err.toByteArray(), StandardCharsets.UTF_8));
  }

  private static final class Run {
    final int exitCode;
    final String out;
    final String err;

    Run(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }
  }
}
