package org.bouncekit.core;

import java.util.List;
import org.bouncekit.core.internal.HeaderList;

/**
 * An automatic reply (RFC 3834): an out-of-office or vacation notice, an autoresponder's answer. It is not a
 * bounce: the message was delivered and someone's software answered it.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param responder     the address that answered (the {@code From} of the reply), or null
 * @param subject       the reply's subject, decoded, or null
 * @param autoSubmitted the {@code Auto-Submitted} value, or null
 * @param evidence      what marked it as an auto-reply, such as {@code Auto-Submitted: auto-replied} or
 *                      {@code subject: Out of Office}
 * @param text          the reply's own words (its first text part, lines joined, at most 2,000 characters), or
 *                      null: "I am out until Monday", or "this inbox is no longer in use"
 * @param headers       the reply's header fields
 * @param original      the message that was answered, when the reply includes it, or null
 * @param verpRecipient the address decoded from a VERP envelope recipient, or null
 * @param problems      problems found while reading
 */
public record AutoReply(
        String responder,
        String subject,
        String autoSubmitted,
        String evidence,
        String text,
        List<Header> headers,
        OriginalMessage original,
        String verpRecipient,
        List<Problem> problems) implements Report {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param responder see {@link #responder()}
     * @param subject see {@link #subject()}
     * @param autoSubmitted see {@link #autoSubmitted()}
     * @param evidence see {@link #evidence()}
     * @param text see {@link #text()}
     * @param headers see {@link #headers()}
     * @param original see {@link #original()}
     * @param verpRecipient see {@link #verpRecipient()}
     * @param problems see {@link #problems()}
     */
    public AutoReply {
        headers = HeaderList.copyOf(headers);
        problems = List.copyOf(problems);
    }

    @Override
    public String format() {
        return "rfc3834";
    }
}
