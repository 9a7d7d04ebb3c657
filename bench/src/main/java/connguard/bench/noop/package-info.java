/** The no-op agent of the floor arm; depends on nothing but java.instrument. */
package connguard.bench.noop;
