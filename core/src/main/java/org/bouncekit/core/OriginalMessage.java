package org.bouncekit.core;

import java.util.List;

/**
 * The message that a report returns or describes, as far as the report includes it: a whole message
 * ({@code message/rfc822}, {@code message/global}) or only its header ({@code text/rfc822-headers},
 * {@code message/global-headers}). These fields let a sender find the message it sent and its campaign.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param messageId          {@code Message-ID} with its angle brackets removed, or null
 * @param subject            {@code Subject}, decoded, or null
 * @param from               {@code From} as written (decoded), or null
 * @param to                 {@code To} as written (decoded), or null
 * @param date               {@code Date} as written, or null
 * @param listId             {@code List-Id}, or null
 * @param correlationHeaders the header fields chosen with {@link ReportParser.Builder#correlationHeaders}, in order
 * @param headersOnly        true when the report included only the header of the message
 */
public record OriginalMessage(
        String messageId,
        String subject,
        String from,
        String to,
        String date,
        String listId,
        List<Header> correlationHeaders,
        boolean headersOnly) {

    /**
     * Creates the value; lists are copied so that it stays immutable.
     *
     * @param messageId see {@link #messageId()}
     * @param subject see {@link #subject()}
     * @param from see {@link #from()}
     * @param to see {@link #to()}
     * @param date see {@link #date()}
     * @param listId see {@link #listId()}
     * @param correlationHeaders see {@link #correlationHeaders()}
     * @param headersOnly see {@link #headersOnly()}
     */
    public OriginalMessage {
        correlationHeaders = List.copyOf(correlationHeaders);
    }
}
