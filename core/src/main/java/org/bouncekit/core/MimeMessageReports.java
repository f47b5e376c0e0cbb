package org.bouncekit.core;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Reads a report from a Jakarta Mail {@link MimeMessage}, for applications that already hold messages that way.
 * The message is written out as bytes (at most {@link Limits#maxInputBytes()}) and read like any other input.
 * Jakarta Mail is an optional dependency of BounceKit: only callers of this class need it.
 *
 * <pre>{@code
 * Report report = MimeMessageReports.parse(ReportParser.defaults(), mimeMessage);
 * }</pre>
 *
 * <p>Thread-safe (stateless), as far as the given message may be read from the calling thread.
 */
public final class MimeMessageReports {

    private MimeMessageReports() {
    }

    /**
     * Reads a report from a message.
     *
     * @param parser  the parser to use
     * @param message the message
     * @return the report, never null
     * @throws IOException        when the message's content cannot be read
     * @throws MessagingException when Jakarta Mail cannot write the message
     */
    @SuppressWarnings("exports") // jakarta.mail is optional on purpose: callers of this method bring it
    public static Report parse(ReportParser parser, MimeMessage message) throws IOException, MessagingException {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(message, "message");
        BoundedOutput out = new BoundedOutput(parser.limits().maxInputBytes());
        try {
            message.writeTo(out);
        } catch (LimitReached e) {
            // the first maxInputBytes are enough; parse(byte[]) records the cut below
        } catch (MessagingException e) {
            if (!(e.getCause() instanceof LimitReached)) {
                throw e; // Jakarta Mail wraps stream errors of some content handlers
            }
        }
        byte[] bytes = out.toByteArray();
        return parser.parse(bytes, 0, bytes.length);
    }

    /** Stops the writer once one byte more than the limit has been written. */
    private static final class BoundedOutput extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final long max;

        BoundedOutput(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            if (buf.size() > max) {
                throw new LimitReached();
            }
            buf.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long room = max + 1 - buf.size();
            if (room <= 0) {
                throw new LimitReached();
            }
            buf.write(b, off, (int) Math.min(len, room));
            if (len > room) {
                throw new LimitReached();
            }
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }

    /** Thrown through Jakarta Mail's writer to stop it at the limit; never escapes. */
    private static final class LimitReached extends IOException {
        private static final long serialVersionUID = 1L;

        LimitReached() {
            super("limit maxInputBytes reached", null);
        }
    }
}
