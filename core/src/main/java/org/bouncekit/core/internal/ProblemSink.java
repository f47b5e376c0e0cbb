package org.bouncekit.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.bouncekit.core.Problem;

/**
 * Collects the problems of one parse, at most a fixed number plus one entry that says how many were dropped.
 *
 * <p>Not thread-safe; one per parse.
 */
public final class ProblemSink {

    private final int max;
    private final List<Problem> problems = new ArrayList<>();
    /** Problems not recorded because {@link #max} was reached. */
    private int dropped;

    /** @param max the most problems kept, at least 1 */
    public ProblemSink(int max) {
        this.max = max;
    }

    /**
     * Records a problem, or counts it as dropped past the limit.
     *
     * @param kind    the kind
     * @param message what was wrong
     * @param offset  byte offset, or -1
     */
    public void add(Problem.Kind kind, String message, long offset) {
        if (problems.size() < max) {
            problems.add(new Problem(kind, message, offset));
        } else {
            dropped++;
        }
    }

    /**
     * Marks the problems recorded so far, for a tentative reading that {@link #rollback} may undo.
     *
     * @return the mark
     */
    public long mark() {
        return (long) problems.size() << 32 | dropped;
    }

    /**
     * Forgets the problems recorded since {@code mark}: those of a reading whose result was not used.
     *
     * @param mark a value of {@link #mark()} of this sink
     */
    public void rollback(long mark) {
        int size = (int) (mark >>> 32);
        problems.subList(size, problems.size()).clear();
        dropped = (int) mark;
    }

    /** @return true when nothing was recorded */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @return the problems, with a final entry naming the limit when some were dropped */
    public List<Problem> toList() {
        if (dropped == 0) {
            return List.copyOf(problems);
        }
        List<Problem> out = new ArrayList<>(problems);
        out.add(new Problem(Problem.Kind.LIMIT_EXCEEDED,
                dropped + " more problems not recorded (limit maxProblems=" + max + ")", -1));
        return List.copyOf(out);
    }
}
