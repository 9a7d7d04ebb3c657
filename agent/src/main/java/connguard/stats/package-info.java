/** Counters of what the agent did, and their JMX view {@code connguard:type=Stats}. Counted on slow paths only. */
package connguard.stats;
