package org.bouncekit.dnsauth.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one report, bounded: past the limit one entry says how many were dropped.
 *
 * <p>Not thread-safe: one per parse.
 */
public final class AggregateReportProblems {

    private final List<String> list = new ArrayList<>();
    private final int max;
    /** Problems not kept because the list was full. */
    private int dropped;

    /**
     * @param max problems kept
     */
    public AggregateReportProblems(int max) {
        this.max = max;
    }

    /**
     * @param problem a problem, in plain words
     */
    public void add(String problem) {
        if (list.size() < max) {
            list.add(problem);
        } else {
            dropped++;
        }
    }

    /** @return the problems, then one entry for those dropped */
    public List<String> toList() {
        if (dropped == 0) {
            return List.copyOf(list);
        }
        List<String> all = new ArrayList<>(list);
        all.add(dropped + " more problem(s) dropped (maxProblems " + max + ")");
        return List.copyOf(all);
    }
}
