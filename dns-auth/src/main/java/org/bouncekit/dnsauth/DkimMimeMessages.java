package org.bouncekit.dnsauth;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * DKIM signing of Jakarta Mail messages (needs {@code jakarta.mail}, an optional dependency of this module).
 *
 * <p>Stateless; thread-safe.
 *
 * <pre>{@code
 * MimeMessage signed = DkimMimeMessages.sign(signer, message, session);
 * Transport.send(signed);   // the signed header is sent as signed
 * }</pre>
 */
public final class DkimMimeMessages {

    private DkimMimeMessages() {
    }

    /**
     * Signs a message: its changes are saved, its bytes signed, and a copy returned with the
     * {@code DKIM-Signature} field first. The copy keeps its header as signed: saving it again (as
     * {@code Transport.send} does) leaves Message-ID and the other fields alone, so the signature stays valid.
     * Changing the copy afterwards breaks the signature.
     *
     * @param signer  the signer
     * @param message the message (its pending changes are saved)
     * @param session the session of the copy (may be null)
     * @return the signed copy
     * @throws MessagingException when the message cannot be written or read back
     * @throws IOException        when the message content cannot be written
     */
    @SuppressWarnings("exports") // Jakarta Mail is optional: callers of this method have it
    public static MimeMessage sign(DkimSigner signer, MimeMessage message, Session session)
            throws MessagingException, IOException {
        Objects.requireNonNull(signer, "signer");
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        message.writeTo(out);
        return new Signed(session, signer.sign(out.toByteArray()));
    }

    /** A message read from signed bytes whose header is never rewritten. */
    private static final class Signed extends MimeMessage {
        Signed(Session session, byte[] bytes) throws MessagingException {
            super(session, new ByteArrayInputStream(bytes));
        }

        @Override
        protected void updateHeaders() {
            // the header is as signed: no new Message-ID, no MIME-Version or Content-Type rewrite
        }
    }
}
