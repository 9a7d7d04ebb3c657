package connguard.bridge;

/**
 * Added to every woven Connection and Statement class together with a field, so per-object state
 * lives beside the driver's own object: the app keeps its objects, casts and {@code unwrap} work,
 * and the lookup is a field read instead of a map.
 */
public interface Guarded {
  Object connguard$state();

  void connguard$state(Object state);
}
