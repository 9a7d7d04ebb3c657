/**
 * Keeping the app's own Connection and Statement objects usable: per-object state, validation
 * before use, reconnecting, restoring the session, re-creating statements and forwarding calls
 * to them. The retry decision itself is {@link connguard.policy.RetryPolicy}'s; whether a failure
 * means a dead connection is {@link connguard.classify.DeadConnectionClassifier}'s;
 * {@link connguard.heal.Recovery} puts them together. With transactionReplay, also recording the
 * open transaction ({@link connguard.heal.TransactionLog}, fed by TransactionRecorder and
 * ResultSetTap) and replaying it with every result verified (TransactionReplayer); with
 * resolveCommitOutcome, asking the server what became of a COMMIT whose reply was lost
 * (CommitOutcome).
 *
 * <p>May use java.sql, config, classify, policy, tuning, stats and log; never Byte Buddy (it runs in
 * the app's threads, through the bridge, long after weaving).
 */
package connguard.heal;
