package connguard.heal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identity-keyed, weakly-keyed map: state beside objects whose class could not get a field (woven
 * after it was loaded, on attach). Entries vanish with their objects; nothing here keeps a driver
 * object alive.
 */
final class WeakIdentityMap {
  private final ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<Object, Object>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();
  private volatile boolean empty = true;

  Object get(Object key) {
    return empty ? null : map.get(new Lookup(key));
  }

  void put(Object key, Object value) {
    expunge();
    map.put(new WeakKey(key, collected), value);
    empty = false;
  }

  int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    for (Object ref; (ref = collected.poll()) != null; ) {
      map.remove(ref);
    }
  }

  private static final class WeakKey extends WeakReference<Object> {
    private final int hash;

    WeakKey(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override public int hashCode() {
      return hash;
    }

    @Override public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      Object mine = get();
      if (other instanceof WeakKey) {
        return mine != null && mine == ((WeakKey) other).get();
      }
      return other instanceof Lookup && mine != null && mine == ((Lookup) other).referent;
    }
  }

  /** A strong stand-in for lookups; equal to the weak key of the same object. */
  private static final class Lookup {
    private final Object referent;

    Lookup(Object referent) {
      this.referent = referent;
    }

    @Override public int hashCode() {
      return System.identityHashCode(referent);
    }

    @Override public boolean equals(Object other) {
      return other instanceof WeakKey ? other.equals(this) : other instanceof Lookup && ((Lookup) other).referent == referent;
    }
  }
}
