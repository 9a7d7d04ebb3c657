/**
 * Advice inlined by Byte Buddy into Connection, Statement and Driver classes that were loaded
 * before the agent (attach: {@code boot.RetransformWeaver}). Classes defined after the agent
 * started get the same calls as wrappers written by {@code boot.MethodWrapper}; the two must say
 * the same thing, and {@code MethodWrapper}'s comment shows it as Java. Each method is a null
 * check and one call into {@link connguard.bridge.Hooks}: the code is copied into classes of any
 * class loader, so it may name only {@code java.*} and {@code connguard.bridge.*}. Every enter and
 * exit suppresses {@code Throwable}: a bug of ours must never break the app.
 */
package connguard.advice;
