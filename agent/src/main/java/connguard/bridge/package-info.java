/**
 * The only classes the woven advice calls. They are appended to the bootstrap class path, the one
 * loader every application loader delegates to, so a driver in any loader (system class path, a
 * webapp loader whose parent is the platform loader, Spring Boot's nested jars) can link against
 * them.
 *
 * <p>Must not name {@code java.sql} or any other connguard package: on Java 9+ the bootstrap loader
 * cannot see {@code java.sql}. Everything is typed {@code Object}/{@code Throwable}; the real work
 * happens behind {@link connguard.bridge.Dispatcher}, implemented in the agent's own loader.
 */
package connguard.bridge;
