/**
 * Options of the agent: reads agent args, system properties, environment and a properties file,
 * applies the precedence, and turns text into typed, checked values with defaults.
 *
 * <p>Depends on nothing but the JDK. It does not log: problems come back as one line each (in
 * {@code Options.load}'s list) and the caller logs them, so this package runs before logging is set
 * up and is tested without it.
 */
package connguard.config;
