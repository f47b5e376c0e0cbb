/**
 * BounceKit classifier: why a message was not delivered and what to do, by rules — a reason taxonomy, built-in
 * and user rule sets, and the verdicts (type, decision, evidence).
 *
 * <p>Start with {@link org.bouncekit.classifier.Classifier}.
 */
module org.bouncekit.classifier {
    requires transitive org.bouncekit.core;
    // Optional: only MessagingExceptions uses them, and its callers already have Jakarta Mail (and Angus Mail).
    requires static jakarta.mail;
    requires static org.eclipse.angus.mail;

    exports org.bouncekit.classifier;
    exports org.bouncekit.classifier.analytics;
    exports org.bouncekit.classifier.policy;
    exports org.bouncekit.classifier.spi;

    uses org.bouncekit.classifier.spi.RuleSetProvider;
}
