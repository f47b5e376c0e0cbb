package org.bouncekit.dnsauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.bouncekit.dnsauth.internal.DkimCanon;
import org.bouncekit.dnsauth.internal.DkimEngine;
import org.bouncekit.dnsauth.internal.DkimKeys;
import org.bouncekit.dnsauth.internal.RawMessage;

/**
 * Signs messages with DKIM (RFC 6376): {@code rsa-sha256} or {@code ed25519-sha256} (RFC 8463) by the key's type,
 * relaxed/relaxed by default, the usual header fields signed and From, To, Subject, Date and similar over-signed
 * (signed once more than present, so that none can be added). Keys come from {@link #readKey(String)} (PEM PKCS#8
 * or PKCS#1, or a raw Ed25519 seed); {@link #publicKeyRecord} writes the DNS record to publish. Jakarta Mail
 * messages are signed by {@link DkimMimeMessages}.
 *
 * <p>Immutable and thread-safe: build one per domain and key, and share it.
 *
 * <pre>{@code
 * DkimSigner signer = DkimSigner.builder("example.org", "mail2026", DkimSigner.readKey(pem)).build();
 * byte[] signed = signer.sign(message);                // the DKIM-Signature field put first
 * String txt = DkimSigner.publicKeyRecord(publicKey);  // publish at mail2026._domainkey.example.org
 * }</pre>
 */
public final class DkimSigner {

    /** The fields signed when present, in this order. */
    public static final List<String> DEFAULT_HEADERS = List.of("from", "sender", "reply-to", "to", "cc", "subject",
            "date", "message-id", "in-reply-to", "references", "mime-version", "content-type",
            "content-transfer-encoding", "list-id", "list-unsubscribe", "list-unsubscribe-post", "feedback-id");
    /** The fields over-signed: signed one more time than present, so that adding one breaks the signature. */
    public static final Set<String> DEFAULT_OVERSIGNED = Set.of("from", "sender", "reply-to", "to", "cc",
            "subject", "date", "message-id", "mime-version", "content-type", "list-unsubscribe",
            "list-unsubscribe-post");

    private static final int MAX_HEADER_FIELDS = 10_000;

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final boolean ed25519;
    private final List<String> headers;
    private final Set<String> oversigned;
    private final boolean relaxedHeader;
    private final boolean relaxedBody;
    private final String identity;
    private final Clock clock;
    private final Duration lifetime;

    private DkimSigner(Builder b) {
        this.domain = b.domain;
        this.selector = b.selector;
        this.key = b.key;
        this.ed25519 = b.key.getAlgorithm().equals("Ed25519") || b.key.getAlgorithm().equals("EdDSA");
        this.headers = List.copyOf(b.headers);
        this.oversigned = Set.copyOf(b.oversigned);
        this.relaxedHeader = b.relaxedHeader;
        this.relaxedBody = b.relaxedBody;
        this.identity = b.identity;
        this.clock = b.clock;
        this.lifetime = b.lifetime;
    }

    /**
     * @param domain   the signing domain ({@code d=})
     * @param selector the selector ({@code s=}); the key is published at {@code selector._domainkey.domain}
     * @param key      an RSA (at least 1,024 bits; 2,048 recommended) or Ed25519 private key
     * @return a builder
     */
    public static Builder builder(String domain, String selector, PrivateKey key) {
        return new Builder(domain, selector, key);
    }

    /**
     * Reads a private key: PEM ({@code BEGIN PRIVATE KEY}, PKCS#8, RSA or Ed25519; {@code BEGIN RSA PRIVATE KEY},
     * PKCS#1), or a raw Ed25519 seed (32 bytes in base64, as RFC 8463 prints it).
     *
     * @param text the key
     * @return the key
     * @throws IllegalArgumentException when the text holds no key this understands
     */
    public static PrivateKey readKey(String text) {
        try {
            return DkimKeys.privateKey(Objects.requireNonNull(text, "text"));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable private key: " + e.getMessage(), e);
        }
    }

    /**
     * @param publicKey an RSA or Ed25519 public key
     * @return the TXT record publishing it ({@code v=DKIM1; k=rsa; p=...})
     */
    public static String publicKeyRecord(java.security.PublicKey publicKey) {
        return DkimKeys.record(Objects.requireNonNull(publicKey, "publicKey"));
    }

    /**
     * Signs a message.
     *
     * @param message the message (CRLF or LF line ends; the field is written with the message's)
     * @return the message with its {@code DKIM-Signature} field first
     * @throws IllegalArgumentException when the message has no From field
     */
    public byte[] sign(byte[] message) {
        String field = signatureField(message);
        boolean crlf = usesCrlf(message);
        byte[] head = (crlf ? field : field.replace("\r\n", "\n")).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + (crlf ? 2 : 1) + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        int k = head.length;
        if (crlf) {
            out[k++] = '\r';
        }
        out[k++] = '\n';
        System.arraycopy(message, 0, out, k, message.length);
        return out;
    }

    /**
     * The {@code DKIM-Signature} field for a message, to insert at the top of its header.
     *
     * @param message the message
     * @return the whole field, {@code DKIM-Signature: v=1; ...}, folded with CRLF, without a final line break
     * @throws IllegalArgumentException when the message has no From field
     */
    public String signatureField(byte[] message) {
        RawMessage m = RawMessage.of(Objects.requireNonNull(message, "message"), MAX_HEADER_FIELDS);
        List<String> signed = new ArrayList<>();
        for (String name : headers) {
            int present = 0;
            for (RawMessage.Field f : m.fields()) {
                if (f.lowerName().equals(name)) {
                    present++;
                }
            }
            if (name.equals("from") && present == 0) {
                throw new IllegalArgumentException("the message has no From field, which DKIM must sign");
            }
            for (int i = 0; i < present + (oversigned.contains(name) ? 1 : 0); i++) {
                signed.add(name);
            }
        }
        try {
            MessageDigest bodyDigest = MessageDigest.getInstance("SHA-256");
            DkimCanon.body(bodyDigest, message, m.bodyStart(), relaxedBody, -1);
            String bh = Base64.getEncoder().encodeToString(bodyDigest.digest());
            long now = clock.instant().getEpochSecond();
            List<String> tags = new ArrayList<>();
            tags.add("v=1");
            tags.add("a=" + (ed25519 ? "ed25519-sha256" : "rsa-sha256"));
            tags.add("c=" + (relaxedHeader ? "relaxed" : "simple") + "/" + (relaxedBody ? "relaxed" : "simple"));
            tags.add("d=" + domain);
            tags.add("s=" + selector);
            if (identity != null) {
                tags.add("i=" + identity);
            }
            tags.add("t=" + now);
            if (lifetime != null) {
                tags.add("x=" + (now + lifetime.toSeconds()));
            }
            tags.add("h=" + String.join(":", signed));
            tags.add("bh=" + bh);
            String unsigned = fold(tags) + "; b=";
            byte[] own = unsigned.getBytes(StandardCharsets.US_ASCII);
            byte[] data = DkimEngine.signedData(m, String.join(":", signed), own, relaxedHeader);
            Signature sig;
            if (ed25519) {
                sig = Signature.getInstance("Ed25519");
                sig.initSign(key);
                sig.update(MessageDigest.getInstance("SHA-256").digest(data));
            } else {
                sig = Signature.getInstance("SHA256withRSA");
                sig.initSign(key);
                sig.update(data);
            }
            String b = Base64.getEncoder().encodeToString(sig.sign());
            StringBuilder field = new StringBuilder(unsigned);
            int col = unsigned.length() - unsigned.lastIndexOf('\n');
            for (int i = 0; i < b.length(); ) {
                int take = Math.max(1, Math.min(b.length() - i, 76 - col));
                field.append(b, i, i + take);
                i += take;
                if (i < b.length()) {
                    field.append("\r\n ");
                    col = 1;
                }
            }
            return field.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** "DKIM-Signature: tag; tag; ..." folded before a tag (or inside h=) that would pass column 76. */
    private static String fold(List<String> tags) {
        StringBuilder sb = new StringBuilder("DKIM-Signature: ");
        int col = sb.length();
        for (int t = 0; t < tags.size(); t++) {
            String tag = tags.get(t);
            String piece = (t == 0 ? "" : " ") + tag + (t < tags.size() - 1 ? ";" : "");
            if (col + piece.length() > 76 && t > 0) {
                sb.append("\r\n");
                col = 0;
            }
            if (tag.startsWith("h=") && col + piece.length() > 76) {
                // a long h= list breaks after its colons
                sb.append(' ');
                col++;
                for (String part : (tag + (t < tags.size() - 1 ? ";" : "")).split("(?<=:)")) {
                    if (col + part.length() > 76) {
                        sb.append("\r\n ");
                        col = 1;
                    }
                    sb.append(part);
                    col += part.length();
                }
                continue;
            }
            sb.append(piece);
            col += piece.length();
        }
        return sb.toString();
    }

    private static boolean usesCrlf(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n') {
                return i > 0 && m[i - 1] == '\r';
            }
        }
        return true;
    }

    /**
     * Builds a {@link DkimSigner}. Setters validate at once; not thread-safe.
     */
    public static final class Builder {
        private final String domain;
        private final String selector;
        private final PrivateKey key;
        private List<String> headers = DEFAULT_HEADERS;
        private Set<String> oversigned = DEFAULT_OVERSIGNED;
        private boolean relaxedHeader = true;
        private boolean relaxedBody = true;
        private String identity;
        private Clock clock = Clock.systemUTC();
        private Duration lifetime;

        private Builder(String domain, String selector, PrivateKey key) {
            this.domain = name("domain", domain).toLowerCase(Locale.ROOT);
            this.selector = name("selector", selector);
            this.key = Objects.requireNonNull(key, "key");
            String a = key.getAlgorithm();
            if (!a.equals("RSA") && !a.equals("Ed25519") && !a.equals("EdDSA")) {
                throw new IllegalArgumentException("an RSA or Ed25519 key is needed, not " + a);
            }
            if (key instanceof java.security.interfaces.RSAKey r && r.getModulus().bitLength() < 1024) {
                throw new IllegalArgumentException("RSA keys under 1024 bits are not accepted by verifiers "
                        + "(RFC 8301): " + r.getModulus().bitLength());
            }
        }

        private static String name(String what, String v) {
            Objects.requireNonNull(v, what);
            if (!v.matches("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*")) {
                throw new IllegalArgumentException("invalid " + what + ": " + v);
            }
            return v;
        }

        /**
         * @param names the fields to sign, in order (From is required); replaces {@link #DEFAULT_HEADERS}
         * @return this builder
         */
        public Builder headers(String... names) {
            Set<String> set = new LinkedHashSet<>();
            for (String n : names) {
                set.add(Objects.requireNonNull(n, "name").toLowerCase(Locale.ROOT).strip());
            }
            if (!set.contains("from")) {
                throw new IllegalArgumentException("the From field must be signed");
            }
            this.headers = List.copyOf(set);
            return this;
        }

        /**
         * @param names the fields to over-sign; replaces {@link #DEFAULT_OVERSIGNED} (none to over-sign nothing)
         * @return this builder
         */
        public Builder oversign(String... names) {
            Set<String> set = new LinkedHashSet<>();
            for (String n : names) {
                set.add(Objects.requireNonNull(n, "name").toLowerCase(Locale.ROOT).strip());
            }
            this.oversigned = Set.copyOf(set);
            return this;
        }

        /**
         * @param relaxedHeader relaxed (default) or simple header canonicalization
         * @param relaxedBody   relaxed (default) or simple body canonicalization
         * @return this builder
         */
        public Builder canonicalization(boolean relaxedHeader, boolean relaxedBody) {
            this.relaxedHeader = relaxedHeader;
            this.relaxedBody = relaxedBody;
            return this;
        }

        /**
         * @param identity the agent or user identifier ({@code i=}), in the signing domain or a subdomain
         * @return this builder
         */
        public Builder identity(String identity) {
            int at = Objects.requireNonNull(identity, "identity").lastIndexOf('@');
            String d = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
            if (!(d.equals(domain) || d.endsWith("." + domain))) {
                throw new IllegalArgumentException("i=" + identity + " is not in " + domain);
            }
            this.identity = identity;
            return this;
        }

        /**
         * @param clock the time for {@code t=} (default the system's UTC clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param lifetime how long signatures stay valid ({@code x=}); none by default
         * @return this builder
         */
        public Builder expireAfter(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        /** @return the signer */
        public DkimSigner build() {
            return new DkimSigner(this);
        }
    }
}
