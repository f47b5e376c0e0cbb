/**
 * What a mail application does after a classification, as values without side effects: when to retry a recipient
 * and when to give up ({@link org.bouncekit.classifier.policy.RetryPolicy}), when to slow down or stop sending to a
 * destination that throttles ({@link org.bouncekit.classifier.policy.DestinationThrottle}), and when to stop
 * sending to an address ({@link org.bouncekit.classifier.policy.SuppressionPolicy}). Time and randomness are
 * injected; every policy is immutable and thread-safe.
 */
package org.bouncekit.classifier.policy;
