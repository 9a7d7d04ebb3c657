package connguard.boot;

/** Which java.sql type a guarded class implements: picks its kind table in {@link JdbcMethods}. */
enum Role { CONNECTION, STATEMENT, RESULT_SET }
