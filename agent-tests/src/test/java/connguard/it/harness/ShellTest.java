package connguard.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness itself: the child shell speaks its protocol and survives failures. */
class ShellTest {

  @Test
  void plainJdbcCommandsAnswerWithOneLineEach() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 jdbc:h2:mem:x");
      assertEquals("0", sh.ok("update c1 create table t(id int primary key, name varchar(20))"));

      sh.ok("prepare p1 c1 insert into t values (?, ?)");
      sh.ok("set p1 1 int 1");
      sh.ok("set p1 2 string a b");
      assertEquals("1", sh.ok("pupdate p1"));
      sh.ok("set p1 1 long 2");
      sh.ok("set p1 2 null");
      assertEquals("1", sh.ok("pupdate p1"));

      assertEquals("1,a b;2,NULL", sh.ok("query c1 select id, name from t order by id"));
      assertEquals("", sh.ok("query c1 select id from t where id < 0"));
      assertEquals("true", sh.ok("execute c1 select 1"));

      sh.ok("prepare b1 c1 insert into t values (?, 'batch')");
      for (int id = 10; id < 13; id++) {
        sh.ok("set b1 1 int " + id);
        sh.ok("addbatch b1");
      }
      assertEquals("1,1,1", sh.ok("batch b1"));
      assertEquals("5", sh.ok("query c1 select count(*) from t"));

      sh.ok("stmt s1 c1");
      sh.ok("fetchsize s1 7");
      sh.ok("maxrows s1 2");
      sh.ok("querytimeout s1 3");
      assertEquals("7", sh.ok("getfetchsize s1"));
      assertEquals("2", sh.ok("getmaxrows s1"));
      assertEquals("3", sh.ok("getquerytimeout s1"));
      assertEquals("1;2", sh.ok("query s1 select id from t order by id"), "maxrows applies");

      sh.ok("autocommit c1 false");
      assertEquals("false", sh.ok("getautocommit c1"));
      assertEquals("1", sh.ok("update c1 delete from t where id = 10"));
      sh.ok("rollback c1");
      assertEquals("5", sh.ok("query c1 select count(*) from t"), "rollback restored the row");
      sh.ok("isolation c1 8");
      assertEquals("8", sh.ok("getisolation c1"));
      sh.ok("readonly c1 true");
      // H2 ignores the read-only hint, so only the round trip is checked here.
      assertTrue(sh.ok("getreadonly c1").matches("true|false"));
      sh.ok("schema c1 INFORMATION_SCHEMA");
      assertEquals("INFORMATION_SCHEMA", sh.ok("getschema c1"));
      sh.ok("commit c1");

      assertEquals("true", sh.ok("unwrap c1 java.sql.Connection"));
      assertEquals("false", sh.ok("unwrap c1 javax.sql.DataSource"));
      assertEquals("org.h2.jdbc.JdbcConnection", sh.ok("classof c1"));
      assertEquals("org.h2.jdbc.JdbcPreparedStatement", sh.ok("classof p1"));

      assertEquals("true", sh.ok("isvalid c1 2"));
      sh.ok("close s1");
      assertEquals("true", sh.ok("isclosed s1"));
      sh.ok("close c1");
      assertEquals("true", sh.ok("isclosed c1"));
      assertEquals("hello  world", sh.ok("echo hello  world"));
      sh.ok("sleep 1");
    }
  }

  @Test
  void failingCommandsAnswerErrAndTheShellKeepsRunning() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 jdbc:h2:mem:y");

      String syntax = sh.err("query c1 selec 1");
      assertTrue(Shell.sqlState(syntax).startsWith("42"), syntax);
      assertTrue(syntax.contains(" JdbcSQLSyntaxErrorException "), syntax);

      assertTrue(sh.err("frobnicate c1").startsWith("- 0 Usage unknown command"));
      assertTrue(sh.err("query").startsWith("- 0 Usage missing"));
      assertTrue(sh.err("query c9 select 1").startsWith("- 0 NoSuchObject "));
      assertTrue(sh.err("set c1 1 int 1").startsWith("- 0 Usage "), "c1 is no statement");
      assertEquals("- 0 NoMBean connguard:type=Stats not registered", sh.err("stat Anything"));
      assertTrue(sh.err("unwrap c1 connguard.boot.Premain").contains("ClassNotFoundException"),
          "no connguard class on the child's class path; the agent comes from its jar only");

      assertEquals("1", sh.ok("query c1 select 1"), "still serving after failures");
      sh.awaitStderr("JdbcSQLSyntaxErrorException", Duration.ofSeconds(5));
    }
  }

  @Test
  void childRunsWithTheAgentJarAndOptions() {
    try (Shell sh = AppJvm.withAgent("").sysProp("connguard.it.probe", "42").start()) {
      String jvmArgs = sh.ok("jvmargs");
      assertTrue(jvmArgs.contains("-javaagent:" + AppJvm.agentJar()), jvmArgs);
      assertTrue(jvmArgs.contains("-Xmx256m"), jvmArgs);
      assertEquals("42", sh.ok("sysprop connguard.it.probe"));
      assertEquals(ChildJvm.defaultJavaHome().normalize(),
          Path.of(sh.ok("sysprop java.home")).normalize(),
          "the default JDK, or " + ChildJvm.JAVA_HOME_ENV + " if set");

      String stat = sh.send("stat StatementsRetried");
      assertTrue(stat.matches("OK \\d+")
              || stat.equals("ERR - 0 NoMBean connguard:type=Stats not registered"), stat);

      sh.ok("connect c1 jdbc:h2:mem:z");
      assertEquals("1", sh.ok("query c1 select 1"));
    }
  }

  @Test
  void anUnansweredCommandFailsAtItsDeadlineWithTheChildsStderr() {
    Shell sh = AppJvm.withoutAgent().start();
    try {
      sh.err("nosuchcommand");
      sh.awaitStderr("nosuchcommand", Duration.ofSeconds(5));
      AssertionError timeout =
          assertThrows(AssertionError.class, () -> sh.send("sleep 20000", Duration.ofMillis(300)));
      assertTrue(timeout.getMessage().contains("no answer to \"sleep 20000\""), timeout.getMessage());
      assertTrue(timeout.getMessage().contains("nosuchcommand"), "stderr tail in the message");

      AssertionError outOfStep = assertThrows(AssertionError.class, () -> sh.send("echo x"));
      assertTrue(outOfStep.getMessage().contains("out of step"), outOfStep.getMessage());
    } finally {
      long start = System.nanoTime();
      sh.close();
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "close is bounded");
      assertTrue(!sh.isAlive(), "child killed");
    }
  }

  @Test
  void javaHomeChoosesTheChildJvm() {
    Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "no JDK 25 at " + jdk25);
    try (Shell sh = AppJvm.withAgent("").javaHome(jdk25).start()) {
      assertEquals("25", sh.ok("sysprop java.specification.version"));
      sh.ok("connect c1 jdbc:h2:mem:w");
      assertEquals("1", sh.ok("query c1 select 1"));
    }
  }
}
