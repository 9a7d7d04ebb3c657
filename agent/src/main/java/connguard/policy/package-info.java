/**
 * One job: decide whether a failed call may run again on a fresh connection ({@link
 * connguard.policy.RetryPolicy}, the one place that decision is made), from facts about its SQL
 * read by a small lexer ({@link connguard.policy.SqlFacts}) in the server's
 * {@link connguard.policy.Dialect}, with what its functions do ({@link
 * connguard.policy.FunctionCatalog}: built-in lists as resources, or what the caller read from the
 * server). The categories decided on (read, write, session change, session-bound read, sequence
 * fetch, transaction control) are {@link connguard.policy.SqlKind}; every word list, the cheap
 * first look's ({@link connguard.policy.SessionSql}) included, is {@code SqlWords}'. Correctness
 * over availability: never a duplicated write; when unsure, surface the failure.
 *
 * <p>Pure: input in, decision out. No I/O (beyond reading its own built-in lists from the agent jar,
 * once), no logging, no static mutable state. Depends only on the
 * JDK; it must not depend on other connguard packages (the caller classifies, heals, counts and
 * logs), nor on Byte Buddy, SLF4J, java.sql or any driver.
 */
package connguard.policy;
