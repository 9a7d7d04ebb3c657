package connguard.heal;

import connguard.bridge.Guarded;

/**
 * Where a woven object's state lives: in the field the weaver added to its class, or, for a class
 * woven after it was loaded (attach: retransformation cannot add fields), in a weak identity map.
 * The map is read only for objects without the field, and costs one volatile read while empty.
 */
final class States {
  private static final WeakIdentityMap LATE = new WeakIdentityMap();

  private States() {}

  static Object of(Object jdbcObject) {
    return jdbcObject instanceof Guarded ? ((Guarded) jdbcObject).connguard$state() : LATE.get(jdbcObject);
  }

  static void attach(Object jdbcObject, Object state) {
    if (jdbcObject instanceof Guarded) {
      ((Guarded) jdbcObject).connguard$state(state);
    } else {
      LATE.put(jdbcObject, state);
    }
  }
}
