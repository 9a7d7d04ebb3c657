package connguard.heal;

import connguard.bridge.Skip;

/** Skip the method and throw {@link #error}: e.g. work on a transaction that was lost. */
final class Refusal extends Skip {
  final Throwable error;

  Refusal(Throwable error) {
    this.error = error;
  }
}
