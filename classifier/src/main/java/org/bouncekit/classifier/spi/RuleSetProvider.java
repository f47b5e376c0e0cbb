package org.bouncekit.classifier.spi;

import java.util.List;
import org.bouncekit.classifier.RuleSet;

/**
 * Supplies rule sets through {@link java.util.ServiceLoader}. Providers are used only when a classifier is built
 * with {@code Classifier.Builder.loadProviders()}; they are applied in the order of their {@link #order()}, then
 * of their class names, so the result does not depend on the class path's order.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RuleSetProvider {

    /**
     * @return the rule sets this provider adds, applied after the built-in sets
     */
    List<RuleSet> ruleSets();

    /**
     * @return the provider's place among providers, lower first; 0 by default
     */
    default int order() {
        return 0;
    }
}
