package org.bouncekit.classifier;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule file that could not be read: every error found, each with its file, line and column.
 */
public final class RuleFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The errors; a List.copyOf, so serializable in practice. */
    private final transient List<RuleProblem> problems;

    /**
     * @param problems the errors, at least one
     */
    public RuleFileException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** @return every error, in file order */
    public List<RuleProblem> problems() {
        return problems;
    }
}
