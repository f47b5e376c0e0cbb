package org.bouncekit.core;

import java.util.List;
import org.bouncekit.core.internal.HeaderList;

/**
 * An input that is none of the reports BounceKit reads: an ordinary message, an empty file, or bytes that are not
 * mail at all. Problems say what was wrong when the input was damaged.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param headers       the header fields that could be read
 * @param verpRecipient the address decoded from a VERP envelope recipient, or null
 * @param problems      problems found while reading
 */
public record NotAReport(List<Header> headers, String verpRecipient, List<Problem> problems) implements Report {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param headers see {@link #headers()}
     * @param verpRecipient see {@link #verpRecipient()}
     * @param problems see {@link #problems()}
     */
    public NotAReport {
        headers = HeaderList.copyOf(headers);
        problems = List.copyOf(problems);
    }

    @Override
    public String format() {
        return "none";
    }

    @Override
    public OriginalMessage original() {
        return null;
    }
}
