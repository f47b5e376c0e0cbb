package org.bouncekit.core;

import java.util.stream.Collectors;

/** A canonical one-line summary of a report, for comparing two parses. */
final class Summary {

    private Summary() {
    }

    static String of(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.getClass().getSimpleName()).append('|').append(r.format());
        if (r instanceof DeliveryReport d) {
            sb.append('|').append(d.reportingMta()).append('|').append(d.arrivalDate());
            for (RecipientStatus s : d.recipients()) {
                sb.append("\n  ").append(s.recipient()).append('|').append(s.action()).append('|')
                        .append(s.status()).append('|').append(s.reply() == null ? null : s.reply().code())
                        .append('|').append(s.reply() == null ? null : s.reply().text())
                        .append('|').append(s.remoteMta());
            }
        } else if (r instanceof FeedbackReport f) {
            sb.append('|').append(f.feedbackType()).append('|').append(f.recipients()).append('|')
                    .append(f.sourceIp());
        } else if (r instanceof AutoReply a) {
            sb.append('|').append(a.responder()).append('|').append(a.subject());
        }
        OriginalMessage o = r.original();
        if (o != null) {
            sb.append("\n  original ").append(o.messageId()).append('|').append(o.subject());
        }
        sb.append("\n  verp ").append(r.verpRecipient());
        sb.append("\n  headers ").append(r.headers().stream().map(h -> h.name() + ": " + h.value())
                .collect(Collectors.joining(" / ")));
        return sb.toString();
    }
}
