/**
 * One job: decide whether a failed call may run again on a fresh connection ({@link
 * connguard.policy.RetryPolicy}, the one place that decision is made), from facts about its SQL
 * read by a small lexer ({@link connguard.policy.SqlFacts}). Correctness over availability: never
 * a duplicated write; when unsure, surface the failure.
 *
 * <p>Pure: input in, decision out. No I/O, no logging, no static mutable state. Depends only on the
 * JDK; it must not depend on other connguard packages (the caller classifies, heals, counts and
 * logs), nor on Byte Buddy, SLF4J, java.sql or any driver.
 */
package connguard.policy;
