package org.bouncekit.classifier;

import java.util.Locale;

/**
 * Why a message was not delivered (or what else a report says), in the vocabulary bounce analysis shares across
 * tools, so results compare. {@link #token()} is the lower-case name used in rule files and output.
 *
 * <p>Thread-safe (an enum).
 */
public enum Reason {
    /** The mailbox does not exist. */
    USERUNKNOWN,
    /** The domain does not exist or has no mail host. */
    HOSTUNKNOWN,
    /** The recipient has moved (5.1.6). */
    HASMOVED,
    /** The domain accepts no mail (null MX). */
    NOTACCEPT,
    /** The account is disabled or suspended. */
    SUSPEND,
    /** The address is on a suppression list of the MTA or ESP. */
    SUPPRESSED,
    /** The mailbox is full. */
    MAILBOXFULL,
    /** A per-message limit was exceeded. */
    EXCEEDLIMIT,
    /** The message is too big. */
    MESGTOOBIG,
    /** The receiving system is out of space. */
    SYSTEMFULL,
    /** The receiving system failed. */
    SYSTEMERROR,
    /** The local delivery program failed. */
    MAILERERROR,
    /** DNS, routing or connection problems. */
    NETWORKERROR,
    /** Retries timed out. */
    EXPIRED,
    /** Too many connections. */
    TOOMANYCONN,
    /** Rate limited. */
    SPEEDING,
    /** Greylisted: try again later from the same sender. */
    GREYLISTED,
    /** The client IP or host is blocked (blocklists). */
    BLOCKED,
    /** The IP or domain has a bad reputation. */
    BADREPUTATION,
    /** Reverse DNS is missing or invalid. */
    REQUIREPTR,
    /** SPF, DKIM or DMARC failed. */
    AUTHFAILURE,
    /** STARTTLS failed or was required. */
    FAILEDSTARTTLS,
    /** Authentication required, or another security reason. */
    SECURITYERROR,
    /** Relaying denied. */
    NORELAYING,
    /** The envelope sender was refused. */
    REJECTED,
    /** The recipient organisation's policy refused the message. */
    POLICYVIOLATION,
    /** A spam filter refused the message. */
    SPAMDETECTED,
    /** A virus scanner refused the message. */
    VIRUSDETECTED,
    /** The header or format was refused. */
    CONTENTERROR,
    /** The message violates RFC 5322 or a related standard. */
    NOTCOMPLIANTRFC,
    /** A recipient-side filter refused the message, or the user refuses mail. */
    FILTERED,
    /** SMTP command syntax error. */
    SYNTAXERROR,
    /** Not enough information yet. */
    ONHOLD,
    /** Nothing recognisable. */
    UNDEFINED,
    /** An automatic reply. */
    VACATION,
    /** A complaint (feedback report). */
    FEEDBACK,
    /** Delivered. */
    DELIVERED;

    /**
     * @return the lower-case token, such as {@code userunknown}
     */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param token a token, any case
     * @return the reason, or null when the token names none
     */
    public static Reason fromToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return valueOf(token.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
