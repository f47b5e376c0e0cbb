package org.bouncekit.classifier;

/**
 * Why a classification came out as it did: the rule that decided, and what in the input it matched.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param ruleSet the rule set's name, such as {@code rfc3463} or {@code gmail}
 * @param ruleId  the rule's id within its set
 * @param field   what was matched: {@code text}, {@code status}, {@code code} or {@code host}; {@code default} when
 *                no rule matched and the reason comes from the report's own kind
 * @param span    the matched text, such as {@code mailbox full} or {@code 5.1.1}
 */
public record Evidence(String ruleSet, String ruleId, String field, String span) {
}
