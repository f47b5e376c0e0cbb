/**
 * BounceKit classifier: reason taxonomy, rule engine, retry, throttling and suppression policies, analytics.
 * The module is laid out; its API arrives with the classification work.
 */
module org.bouncekit.classifier {
    requires transitive org.bouncekit.core;
}
