package connguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cheap pre-check may say yes too often, never no when the lexer would find a session change. */
class SessionSqlTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "SET search_path TO x|true", "  set statement_timeout = 5|true", "/* c */ USE db|true",
      "-- c\\nSET x = 1|true", "BEGIN|true", "start transaction|true", "COMMIT|true", "rollback|true",
      "create temporary table t (x int)|true", "DECLARE c CURSOR FOR SELECT 1|true", "LISTEN ch|true",
      "select pg_advisory_lock(1)|true", "SELECT GET_LOCK('x', 1)|true", "reset all|true", "discard all|true",
      "select * from t where id = ?|false", "insert into t values (1)|false", "update t set x = 1|false",
      "/* /* nested */ */ SET x = 1|true", "{call p()}|true", "(select 1)|false"})
  void flagsEveryStatementThatMayChangeTheSession(String sql, boolean expected) {
    assertEquals(expected, SessionSql.mayChangeSession(sql.replace("\\n", "\n")));
  }

  /** Session changes hidden in a SELECT, and texts the cheap look cannot see through. */
  @Test
  void seesSessionChangesTheFullReadingSees() {
    String[] yes = {"SELECT set_config('search_path', 'x', false)", "SELECT * INTO TEMP t FROM x",
        "SELECT 1 INTO @v", "SELECT @v := 1", "HANDLER t OPEN", "UNLOCK TABLES", "SELECT setseed(0.5)",
        "/*!40101 SET @OLD=@@SQL_MODE */", "# c\nSET x = 1", "// c\nSET x = 1", "SELECT 1; SET x = 1",
        "select count(*) from orders where lock_id = 1"};
    for (String sql : yes) {
      assertTrue(SessionSql.mayChangeSession(sql), sql);
    }
    String[] no = {"SELECT 1;", "SELECT 1;  ", "INSERT INTO t SELECT * FROM s", "SELECT LAST_INSERT_ID()",
        "select nextval('s')", "UPDATE t SET a = 1 WHERE id = ?"};
    for (String sql : no) {
      assertFalse(SessionSql.mayChangeSession(sql), sql);
    }
  }
}
