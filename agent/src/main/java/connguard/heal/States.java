package connguard.heal;

import connguard.bridge.Guarded;

/**
 * Where a woven object's state lives: in the field the weaver added to its class, or, for a class
 * woven after it was loaded (attach: retransformation cannot add fields), in a weak identity map.
 * The map is read only for objects without the field, and costs one volatile read while empty.
 */
public final class States {
  private static final WeakIdentityMap LATE = new WeakIdentityMap();

  private States() {}

  public static Object of(Object jdbcObject) {
    return jdbcObject instanceof Guarded ? ((Guarded) jdbcObject).connguard$state() : LATE.get(jdbcObject);
  }

  // A statement a factory method just returned, as Guarded, or null (a class woven after it was
  // loaded: its state is in the map). The same line three times, once per factory, on purpose:
  // C2 compiles a type check from its own method's profile, and each of these sees the one class
  // its factory returns (a driver's prepareStatement always makes its PreparedStatement class),
  // so `instanceof Guarded` becomes one class compare. Shared (as in of), the check sees every
  // statement class and the connection's, and on JDK 17 an interface check that misses the
  // class's one-entry cache scans all its interfaces: 55 of 1,970 samples of HikariCP's borrow
  // cycle (about 30 ns), where HikariCP casts the same statement to PreparedStatement in between.

  static Guarded ifCreatedIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  static Guarded ifPreparedIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  static Guarded ifCallableIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  public static void attach(Object jdbcObject, Object state) {
    if (jdbcObject instanceof Guarded) {
      ((Guarded) jdbcObject).connguard$state(state);
    } else {
      LATE.put(jdbcObject, state);
    }
  }
}
