/**
 * The open transaction, for transactionReplay and resolveCommitOutcome: what it ran and read
 * ({@link connguard.heal.replay.TransactionLog}, fed by {@link connguard.heal.replay.TransactionRecorder}
 * and {@link connguard.heal.replay.ResultSetTap}, rows hashed by {@link connguard.heal.replay.RowDigest}),
 * replaying it on a fresh connection with every result verified
 * ({@link connguard.heal.replay.TransactionReplayer}), and asking the server what became of a
 * COMMIT whose reply was lost ({@link connguard.heal.replay.CommitOutcome}).
 *
 * <p>Works on the state of {@link connguard.heal.LogicalConnection}, which calls it; may use what
 * heal may use.
 */
package connguard.heal.replay;
