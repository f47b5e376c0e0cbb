package org.bouncekit.classifier;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncekit.core.SmtpReply;

/**
 * Classifies the exceptions a Jakarta Mail sender gets when the receiving server refuses a message: the
 * commonest way a Java application meets a rejection. Angus Mail's SMTP transport chains one
 * {@code SMTPAddressFailedException} per refused recipient (with the reply code, the command and the server's
 * reply), an {@code SMTPSenderFailedException} when MAIL FROM is refused, and an {@code SMTPSendFailedException}
 * when DATA or the message is; a {@link SendFailedException} names the invalid and the valid but unsent
 * addresses. Each becomes a {@link Classification} of its recipient.
 *
 * <pre>{@code
 * try {
 *     Transport.send(message);
 * } catch (MessagingException e) {
 *     for (Classification c : MessagingExceptions.classify(Classifier.defaults(), e)) {
 *         if (c.decision() == Decision.SUPPRESS) {
 *             suppress(c.recipient());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Needs Jakarta Mail on the class path (a sender that has these exceptions has it); Angus Mail's classes are
 * used only when the exception is one of them. Thread-safe (stateless).
 */
public final class MessagingExceptions {

    /** How deep a chain of {@code getNextException()} is followed. */
    private static final int MAX_CHAIN = 1_000;

    private MessagingExceptions() {
    }

    /**
     * @param classifier the classifier
     * @param exception  what {@code Transport.send} or {@code sendMessage} threw
     * @return one classification per refused recipient, in the order the server refused them; for a refusal of
     *         the whole message (sender, DATA, connection) one per unsent address, or one with a null recipient
     *         when the exception names none
     */
    @SuppressWarnings("exports") // Jakarta Mail is optional: callers of this method have it
    public static List<Classification> classify(Classifier classifier, MessagingException exception) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(exception, "exception");
        List<Classification> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Classification whole = null;
        Exception e = exception;
        for (int depth = 0; e != null && depth < MAX_CHAIN; depth++) {
            Refusal r = e.getClass().getName().startsWith("org.eclipse.angus.mail.smtp.") ? Angus.refusal(e) : null;
            if (r != null && r.recipient != null) {
                if (done.add(r.recipient.toLowerCase(Locale.ROOT))) {
                    out.add(classifier.classify(r.recipient, reply(r.code, r.text), r.command));
                }
            } else if (r != null && whole == null) {
                whole = classifier.classify(null, reply(r.code, r.text), r.command);
            }
            e = e instanceof MessagingException m ? m.getNextException() : null;
        }
        if (whole == null && out.isEmpty()) {
            whole = classifier.classify(null, reply(0, text(exception)), null);
        }
        if (whole != null && exception instanceof SendFailedException sf) {
            // the message as a whole was refused: every address not yet classified shares that verdict
            for (Address[] list : new Address[][] {sf.getInvalidAddresses(), sf.getValidUnsentAddresses()}) {
                for (Address a : list == null ? new Address[0] : list) {
                    String address = bare(a);
                    if (address != null && done.add(address.toLowerCase(Locale.ROOT))) {
                        out.add(withRecipient(whole, address));
                    }
                }
            }
        }
        if (out.isEmpty() && whole != null) {
            out.add(whole);
        }
        return out;
    }

    private static Classification withRecipient(Classification c, String recipient) {
        return new Classification(recipient, c.reason(), c.type(), c.decision(), c.retryable(), c.provider(),
                c.evidence());
    }

    /** The server's reply, parsed when it carries a code; else the code and text as they are. */
    private static SmtpReply reply(int returnCode, String text) {
        int code = returnCode >= 200 && returnCode <= 599 ? returnCode : 0;
        String t = text == null ? "" : text.strip();
        SmtpReply parsed = SmtpReply.parse(t).orElse(null);
        if (parsed != null && (code == 0 || parsed.code() == code)) {
            return parsed;
        }
        return new SmtpReply(code, null, t, List.of(t));
    }

    /** The exception's message with its causes' (a connection failure says why only in its cause). */
    private static String text(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (t.getMessage() != null) {
                sb.append(sb.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    private static String bare(Address a) {
        if (a == null) {
            return null;
        }
        String s = a.toString();
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        return lt >= 0 && gt > lt ? s.substring(lt + 1, gt) : s.strip();
    }

    /** The SMTP verb of a command as Angus records it ("RCPT TO:&lt;a@b&gt;" is RCPT). */
    static String verb(String command) {
        if (command == null || command.isBlank()) {
            return null;
        }
        String c = command.strip().toUpperCase(Locale.ROOT);
        int end = 0;
        while (end < c.length() && Character.isLetter(c.charAt(end))) {
            end++;
        }
        return end == 0 ? null : c.substring(0, end);
    }

    /** What one refusal says. */
    private record Refusal(String recipient, int code, String command, String text) {
    }

    /** Angus Mail's exceptions; loaded only when the exception is one of them. */
    private static final class Angus {
        private Angus() {
        }

        static Refusal refusal(Exception e) {
            if (e instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
                return new Refusal(a.getAddress() == null ? null : a.getAddress().getAddress(), a.getReturnCode(),
                        verb(a.getCommand()), a.getMessage());
            }
            if (e instanceof org.eclipse.angus.mail.smtp.SMTPSenderFailedException s) {
                return new Refusal(null, s.getReturnCode(), verb(s.getCommand()), s.getMessage());
            }
            if (e instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
                return new Refusal(null, s.getReturnCode(), verb(s.getCommand()), s.getMessage());
            }
            return null;
        }
    }
}
