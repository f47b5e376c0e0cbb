package org.bouncekit.classifier;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncekit.classifier.spi.RuleSetProvider;

/** A rule set provider found by ServiceLoader in the tests: its set comes from a rule file in the jar. */
public final class AcmeRuleSetProvider implements RuleSetProvider {

    /** Called by ServiceLoader. */
    public AcmeRuleSetProvider() {
    }

    @Override
    public List<RuleSet> ruleSets() {
        try (Reader r = new InputStreamReader(AcmeRuleSetProvider.class.getResourceAsStream("acme.rules"),
                StandardCharsets.UTF_8)) {
            return List.of(RuleSet.read("acme.rules", r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuleFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
