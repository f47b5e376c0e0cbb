package org.bouncekit.classifier;

/**
 * The verdict on one recipient of a report, or on one SMTP reply.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param recipient the recipient's address, or null for a bare SMTP reply
 * @param reason    why it was not delivered
 * @param type      what kind of problem it is
 * @param decision  what to do about it
 * @param retryable whether sending again later may succeed
 * @param provider  the mailbox provider or gateway recognised ({@code gmail}, {@code microsoft}, ...), or null
 * @param evidence  the rule that decided and what it matched
 */
public record Classification(String recipient, Reason reason, BounceType type, Decision decision, boolean retryable,
                             String provider, Evidence evidence) {
}
