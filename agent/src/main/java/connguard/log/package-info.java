/**
 * What the agent says, through the shaded SLF4J (slf4j-simple to stderr), and what it masks:
 * passwords never reach a log line, an exception message or JMX.
 */
package connguard.log;
