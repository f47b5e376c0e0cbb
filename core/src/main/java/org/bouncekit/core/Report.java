package org.bouncekit.core;

import java.util.List;

/**
 * What one input message is: a {@link DeliveryReport} (a bounce, delay or success notice), a
 * {@link FeedbackReport} (an abuse or authentication-failure report), an {@link AutoReply}, or
 * {@link NotAReport}. A {@link ReportParser} returns exactly one per input and never throws on bad input.
 *
 * <pre>{@code
 * switch (report) {
 *     case DeliveryReport d -> d.recipients().forEach(r -> suppress(r.recipient()));
 *     ...
 * }
 * }</pre>
 *
 * <p>All implementations are immutable and thread-safe.
 */
public sealed interface Report permits DeliveryReport, FeedbackReport, AutoReply, NotAReport {

    /**
     * The format the report was read in: {@code rfc3464}, {@code rfc6533}, {@code arf}, {@code rfc3834}, the name
     * of an MTA's or provider's own format, or {@code none} for {@link NotAReport}.
     *
     * @return the format name, lower case
     */
    String format();

    /**
     * The header fields of the report message itself.
     *
     * @return the top-level header fields, in order
     */
    List<Header> headers();

    /**
     * The returned or reported original message, when the report includes it.
     *
     * @return the original message, or null
     */
    OriginalMessage original();

    /**
     * The address a VERP envelope recipient of the report encodes (for example {@code alice@example.com} from
     * {@code bounces+alice=example.com@sender.test}), when the parser has a VERP pattern that matched.
     *
     * @return the decoded address, or null
     */
    String verpRecipient();

    /**
     * Problems found while reading, at most {@link Limits#maxProblems()} plus one entry saying more were dropped.
     *
     * @return the problems, in input order; empty for a clean input
     */
    List<Problem> problems();
}
