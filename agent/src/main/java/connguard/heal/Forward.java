package connguard.heal;

import connguard.bridge.Skip;

/** Skip the app object's own method and run it on {@link #target}, its live replacement. */
final class Forward extends Skip {
  final Object target;

  Forward(Object target) {
    this.target = target;
  }
}
