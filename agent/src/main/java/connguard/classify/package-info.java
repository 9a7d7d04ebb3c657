/**
 * One job: decide whether a failure means the physical database connection is gone.
 *
 * <p>Pure: input in, verdict out. No I/O, no logging, no static mutable state. Depends only on the
 * JDK ({@code java.lang}, {@code java.io}/{@code java.net} exception types, {@code java.sql}); it must
 * not depend on any other connguard package, on Byte Buddy, on SLF4J or on a driver's classes
 * (drivers are recognised by SQLState and vendor code, never by class name).
 */
package connguard.classify;
