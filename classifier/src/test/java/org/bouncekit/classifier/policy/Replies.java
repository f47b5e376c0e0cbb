package org.bouncekit.classifier.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;

/** Realistic SMTP replies, classified by the real default classifier, for the suppression tests. */
final class Replies {

    static final String USER_UNKNOWN = "550 5.1.1 The email account that you tried to reach does not exist. Please "
            + "try double-checking the recipient's email address for typos or unnecessary spaces.";
    static final String HOST_UNKNOWN = "550 5.1.2 <bob@no-such-domain.example>: Recipient address rejected: Host "
            + "unknown";
    static final String OVER_QUOTA = "452 4.2.2 The email account that you tried to reach is over quota. Please "
            + "direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp";
    static final String SPAMHAUS = "550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using "
            + "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10";
    static final String UNAUTHENTICATED = "550 5.7.26 This mail is unauthenticated, which poses a security risk to "
            + "the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of "
            + "SPF or DKIM.";
    static final String NO_PTR = "550 5.7.25 The IP address sending this message does not have a PTR record setup";
    static final String SPAM = "554 5.7.1 Message rejected as spam";
    static final String ORG_POLICY = "550 5.7.1 Message rejected due to organization policy";
    static final String YAHOO_TSS04 = "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to "
            + "unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes";
    static final String GMAIL_RATE = "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating "
            + "from your IP address.";
    static final String TOO_MANY_CONNECTIONS = "421 4.7.0 Too many connections from your IP";
    static final String GREYLISTED = "450 4.2.0 Greylisted, please try again in 300 seconds";

    private Replies() {
    }

    /** The default classifier's verdict on a reply. */
    static Classification classify(String reply) {
        return Classifier.defaults().classify(SmtpReply.parse(reply).orElseThrow());
    }

    /** The default classifier's verdict on the one recipient of a report. */
    static Classification classifyReport(String message) {
        List<Classification> all = Classifier.defaults().classify(
                ReportParser.defaults().parse(message.getBytes(StandardCharsets.UTF_8)));
        if (all.size() != 1) {
            throw new AssertionError("one recipient expected: " + all);
        }
        return all.get(0);
    }

    /** A complaint: the classification of an ARF abuse report (Yahoo's feedback loop) about a recipient. */
    static Classification complaint(String recipient) {
        return classifyReport("From: feedback@arf.mail.yahoo.com\r\nTo: fbl@example.org\r\nSubject: FW: offer\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; "
                + "boundary=\"b2\"\r\n\r\n"
                + "--b2\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n"
                + "--b2\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
                + "User-Agent: Yahoo!-Mail-Feedback/2.0\r\nVersion: 1\r\nOriginal-Rcpt-To: " + recipient + "\r\n\r\n"
                + "--b2\r\nContent-Type: message/rfc822\r\n\r\nFrom: news@example.org\r\nTo: " + recipient
                + "\r\nSubject: offer\r\n\r\nhi\r\n--b2--\r\n");
    }

    /** A delivery: the classification of a success DSN ({@code Action: delivered}) for a recipient. */
    static Classification delivered(String recipient) {
        return classifyReport("From: MAILER-DAEMON@mx.example.net\r\nTo: sender@example.org\r\n"
                + "Subject: Delivery Status Notification (Success)\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n"
                + "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--b1--\r\n");
    }

    /** A vacation notice: the classification of an out-of-office auto-reply from a responder. */
    static Classification vacation(String responder) {
        return classifyReport("From: " + responder + "\r\nTo: sender@example.org\r\nSubject: Out of office: offer\r\n"
                + "Auto-Submitted: auto-replied\r\n\r\nI am away until Monday.\r\n");
    }
}
