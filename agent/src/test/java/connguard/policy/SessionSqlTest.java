package connguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
      "/* /* nested */ */ SET x = 1|true", "{call p()}|true", "(select 1)|false",
      // session changes hidden in a SELECT, and statements the cheap look cannot see through
      "SELECT set_config('search_path', 'x', false)|true", "SELECT * INTO TEMP t FROM x|true",
      "SELECT 1 INTO @v|true", "SELECT @v := 1|true", "HANDLER t OPEN|true", "UNLOCK TABLES|true",
      "SELECT setseed(0.5)|true", "/*!40101 SET @OLD=@@SQL_MODE */|true", "# c\nSET x = 1|true",
      "SELECT 1; SET x = 1|true", "SELECT 1;|false", "SELECT 1;  |false",
      "INSERT INTO t SELECT * FROM s|false", "select count(*) from orders where lock_id = 1|true",
      "SELECT LAST_INSERT_ID()|false"})
  void flagsEveryStatementThatMayChangeTheSession(String sql, boolean expected) {
    assertEquals(expected, SessionSql.mayChangeSession(sql.replace("\\n", "\n")));
  }
}
