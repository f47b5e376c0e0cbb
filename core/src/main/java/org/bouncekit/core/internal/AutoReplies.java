package org.bouncekit.core.internal;

import java.util.List;
import java.util.Locale;

/**
 * Recognises automatic replies (RFC 3834 and the habits of common clients and servers) from header fields.
 * Thread-safe (stateless).
 */
final class AutoReplies {

    /** Subject starts (lower case) that clients put on out-of-office and autoresponder replies. */
    private static final List<String> SUBJECT_PREFIXES = List.of(
            "out of office", "out of the office", "automatic reply", "auto reply", "auto-reply", "autoreply",
            "auto:", "autoresponse", "auto response", "autorespons", "away until", "away from", "on vacation",
            "vacation:", "i am out of the office", "i'm out of the office", "abwesenheitsnotiz",
            "automatische antwort", "réponse automatique", "reponse automatique", "risposta automatica",
            "respuesta automática", "respuesta automatica", "resposta automática", "resposta automatica",
            "automatisch antwoord", "afwezig", "fuera de la oficina", "absence", "自動応答", "自動返信", "不在");

    private AutoReplies() {
    }

    /**
     * What marked a message as an auto-reply.
     *
     * @param description a short account, such as {@code Auto-Submitted: auto-replied}
     */
    record Evidence(String description) {
    }

    /**
     * @param root the message
     * @return evidence, or null when nothing marks the message as an auto-reply
     */
    static Evidence detect(Entity root) {
        String autoSubmitted = root.header("auto-submitted");
        String subject = root.header("subject");
        String lowerSubject = subject == null ? "" : subject.strip().toLowerCase(Locale.ROOT);
        if (autoSubmitted != null) {
            String v = autoSubmitted.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("auto-replied")) {
                return new Evidence("Auto-Submitted: " + autoSubmitted.strip());
            }
            if (v.startsWith("auto-generated") && subjectMatch(lowerSubject) != null) {
                return new Evidence("Auto-Submitted: " + autoSubmitted.strip() + " and subject: " + subject.strip());
            }
        }
        for (String name : new String[] {"x-autoreply", "x-autorespond", "x-auto-reply", "x-autoresponder"}) {
            String v = root.header(name);
            if (v != null && !v.strip().equalsIgnoreCase("no") && !v.strip().equalsIgnoreCase("false")) {
                return new Evidence(name + ": " + v.strip());
            }
        }
        String precedence = root.header("precedence");
        if (precedence != null && precedence.strip().equalsIgnoreCase("auto_reply")) {
            return new Evidence("Precedence: auto_reply");
        }
        String match = subjectMatch(lowerSubject);
        if (match != null) {
            return new Evidence("subject: " + subject.strip());
        }
        return null;
    }

    private static String subjectMatch(String lowerSubject) {
        for (String prefix : SUBJECT_PREFIXES) {
            if (lowerSubject.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }
}
