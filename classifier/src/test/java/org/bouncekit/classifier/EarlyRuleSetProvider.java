package org.bouncekit.classifier;

import java.util.List;
import org.bouncekit.classifier.spi.RuleSetProvider;

/**
 * A provider listed after {@link AcmeRuleSetProvider} in the service file but ordered before it: it claims
 * {@code acme-rbl-7} for another reason, and Acme's later set must win.
 */
public final class EarlyRuleSetProvider implements RuleSetProvider {

    /** Called by ServiceLoader. */
    public EarlyRuleSetProvider() {
    }

    @Override
    public List<RuleSet> ruleSets() {
        return List.of(new RuleSet("early", 1, List.of(Rule.builder("acme.blocked").text("acme-rbl-7")
                .reason(Reason.BADREPUTATION).provider("early").build()), List.of()));
    }

    @Override
    public int order() {
        return -1;
    }
}
