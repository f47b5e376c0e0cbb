package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends through Angus Mail's SMTP transport to a test SMTP server on 127.0.0.1 that refuses recipients, senders
 * and messages with the replies real providers send, and classifies the exceptions the sender gets.
 */
class SmtpServerIntegrationTest {

    /** Replies to RCPT TO by local part; anything else is accepted. */
    private static final Map<String, String> RCPT = new LinkedHashMap<>();

    static {
        RCPT.put("gmail-nosuchuser", "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                + "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                + "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
                + "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si2345678qkb.12 - gsmtp");
        RCPT.put("gmail-full", "452-4.2.2 The recipient's inbox is out of storage space. Please direct the\r\n"
                + "452-4.2.2 recipient to\r\n"
                + "452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp b2si3456789qkb.34 - gsmtp");
        RCPT.put("gmail-rate", "450-4.2.1 The user you are trying to contact is receiving mail at a rate that\r\n"
                + "450-4.2.1 prevents additional messages from being delivered. Please resend your\r\n"
                + "450-4.2.1 message at a later time. If the user is able to receive mail at that\r\n"
                + "450 4.2.1 time, your message will be delivered. c3si4567890qkb.56 - gsmtp");
        RCPT.put("exo-dbeb", "550 5.4.1 Recipient address rejected: Access denied. For more information see "
                + "https://aka.ms/EXOSmtpErrors [BN8NAM12FT045.eop-nam12.prod.protection.outlook.com]");
        RCPT.put("orange-invalid", "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. "
                + "OFR_416 [416]");
    }

    private ServerSocket server;
    private ExecutorService pool;
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    /** The reply to MAIL FROM for the next session, or null to accept. */
    private volatile String mailReply;
    /** The reply after the message data, or null to accept. */
    private volatile String dataReply;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool = Executors.newCachedThreadPool();
        pool.submit(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    pool.submit(() -> session(s));
                } catch (IOException e) {
                    return null;
                }
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        pool.shutdownNow();
    }

    @Test
    void refusedRecipientsAreClassifiedFromTheExceptions() throws Exception {
        MessagingException e = assertThrows(MessagingException.class, () -> send("sender@example.org",
                "ok@example.com", "gmail-nosuchuser@gmail.com", "gmail-full@gmail.com", "gmail-rate@gmail.com",
                "exo-dbeb@contoso.com", "orange-invalid@orange.fr"));
        List<Classification> cs = MessagingExceptions.classify(Classifier.defaults(), e);
        Map<String, Classification> by = new LinkedHashMap<>();
        for (Classification c : cs) {
            by.put(c.recipient(), c);
        }
        assertEquals(List.of("gmail-nosuchuser@gmail.com", "gmail-full@gmail.com", "gmail-rate@gmail.com",
                "exo-dbeb@contoso.com", "orange-invalid@orange.fr"), new ArrayList<>(by.keySet()));

        Classification unknown = by.get("gmail-nosuchuser@gmail.com");
        assertEquals(Reason.USERUNKNOWN, unknown.reason());
        assertEquals(BounceType.HARD, unknown.type());
        assertEquals(Decision.SUPPRESS, unknown.decision());
        assertEquals("gmail", unknown.provider());

        Classification full = by.get("gmail-full@gmail.com");
        assertEquals(Reason.MAILBOXFULL, full.reason());
        assertEquals(BounceType.SOFT, full.type());
        assertTrue(full.retryable());

        Classification rate = by.get("gmail-rate@gmail.com");
        assertEquals(Reason.SPEEDING, rate.reason());
        assertEquals(Decision.THROTTLE, rate.decision());

        Classification dbeb = by.get("exo-dbeb@contoso.com");
        assertEquals(Reason.USERUNKNOWN, dbeb.reason(), "Exchange Online's directory-based edge blocking");
        assertEquals("microsoft", dbeb.provider());

        Classification orange = by.get("orange-invalid@orange.fr");
        assertEquals(Reason.USERUNKNOWN, orange.reason());
        assertEquals("orange", orange.provider());

        assertEquals(List.of("ok@example.com"), delivered, "the valid recipient still got the message");
    }

    @Test
    void refusedSenderAppliesToEveryRecipient() {
        mailReply = "550 Rejected by header based Anti-Spoofing policy: sender@example.org - "
                + "https://community.mimecast.com/docs/DOC-1369#550 [dGVzdA.uk56]";
        MessagingException e = assertThrows(MessagingException.class,
                () -> send("sender@example.org", "a@example.com", "b@example.com"));
        List<Classification> cs = MessagingExceptions.classify(Classifier.defaults(), e);
        assertEquals(2, cs.size(), cs.toString());
        for (Classification c : cs) {
            assertEquals(Reason.AUTHFAILURE, c.reason());
            assertEquals(Decision.FIX_SENDER, c.decision());
            assertEquals("mimecast", c.provider());
            assertFalse(c.retryable());
        }
    }

    @Test
    void refusedMessageAfterData() {
        dataReply = "554 5.7.9 Message not accepted for policy reasons.  See "
                + "https://help.yahoo.com/kb/postmaster/SLN7253.html";
        MessagingException e = assertThrows(MessagingException.class,
                () -> send("sender@example.org", "c@yahoo.com"));
        List<Classification> cs = MessagingExceptions.classify(Classifier.defaults(), e);
        assertEquals(1, cs.size(), cs.toString());
        assertEquals("c@yahoo.com", cs.get(0).recipient());
        assertEquals(Reason.POLICYVIOLATION, cs.get(0).reason());
        assertEquals("yahoo", cs.get(0).provider());
    }

    @Test
    void noServerIsANetworkError() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        int closedPort = port;
        MessagingException e = assertThrows(MessagingException.class,
                () -> send(closedPort, "sender@example.org", "d@example.com"));
        List<Classification> cs = MessagingExceptions.classify(Classifier.defaults(), e);
        assertEquals(Reason.NETWORKERROR, cs.get(0).reason(), cs.toString());
        assertTrue(cs.get(0).retryable());
    }

    private void send(String from, String... to) throws MessagingException {
        send(server.getLocalPort(), from, to);
    }

    private static void send(int port, String from, String... to) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.sendpartial", "true");
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject("test");
        m.setText("hello");
        Transport.send(m);
    }

    /** One SMTP session: enough of RFC 5321 for a client that sends one message. */
    private Void session(Socket s) throws IOException {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = s.getOutputStream()) {
            reply(out, "220 localhost ESMTP test");
            List<String> accepted = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    reply(out, "250 localhost");
                } else if (upper.startsWith("MAIL FROM:")) {
                    reply(out, mailReply != null ? mailReply : "250 2.1.0 OK");
                } else if (upper.startsWith("RCPT TO:")) {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    String refusal = RCPT.get(address.substring(0, address.indexOf('@')));
                    if (refusal == null) {
                        accepted.add(address);
                    }
                    reply(out, refusal != null ? refusal : "250 2.1.5 OK");
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go ahead");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message
                    }
                    if (dataReply == null) {
                        delivered.addAll(accepted);
                    }
                    reply(out, dataReply != null ? dataReply : "250 2.0.0 OK queued");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    return null;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    accepted.clear();
                    reply(out, "250 2.0.0 OK");
                } else {
                    reply(out, "502 5.5.2 command not implemented");
                }
            }
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
