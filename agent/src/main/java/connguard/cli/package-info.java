/** {@code java -jar connguard.jar}: usage and (later) diagnostics. Never loaded by the agent itself. */
package connguard.cli;
