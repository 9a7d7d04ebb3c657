package connguard.examples.ledger;

/**
 * Where a unit of work is, told by the service as it goes: a failure is judged by the step it
 * happened in (dead before the first statement: the agent should have healed it; after work: a
 * refusal; under the commit: outcome unknown). {@code begin} until the transaction's body runs,
 * {@code commit} once it has flushed: whatever Spring throws after that came from the commit.
 */
final class UnitPhase {
  private volatile String name = "begin";

  void now(String phase) {
    name = phase;
  }

  String name() {
    return name;
  }
}
