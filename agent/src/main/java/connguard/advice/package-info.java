/**
 * Advice inlined into the driver's and pool's own Connection, Statement and Driver classes. Each
 * method is a null check and one call into {@link connguard.bridge.Hooks}: the code is copied into
 * classes of any class loader, so it may name only {@code java.*} and {@code connguard.bridge.*}.
 * Every enter and exit suppresses {@code Throwable}: a bug of ours must never break the app.
 */
package connguard.advice;
