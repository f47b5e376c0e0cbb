package org.bouncekit.dnsauth.internal;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key encodings DKIM meets: SubjectPublicKeyInfo or bare PKCS#1 RSA keys in DNS, raw 32-byte Ed25519 keys in DNS
 * (RFC 8463), PEM private keys in PKCS#8 or PKCS#1, and raw Ed25519 seeds.
 *
 * <p>Stateless; thread-safe.
 */
public final class DkimKeys {

    /** DER of SubjectPublicKeyInfo for Ed25519 up to the 32 key bytes. */
    private static final byte[] ED25519_SPKI = hex("302a300506032b6570032100");
    /** DER of a PKCS#8 PrivateKeyInfo for Ed25519 up to the 32 seed bytes. */
    private static final byte[] ED25519_PKCS8 = hex("302e020100300506032b657004220420");
    /** DER of AlgorithmIdentifier rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");

    private DkimKeys() {
    }

    /**
     * @param type "rsa" or "ed25519"
     * @param der  the decoded {@code p=} value
     * @return the key
     * @throws GeneralSecurityException when the bytes are no key of that type
     */
    public static PublicKey publicKey(String type, byte[] der) throws GeneralSecurityException {
        if (type.equals("ed25519")) {
            if (der.length != 32) {
                throw new GeneralSecurityException("an Ed25519 key is 32 bytes, not " + der.length);
            }
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, der)));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // a bare PKCS#1 RSAPublicKey, as some publish: wrap it in SubjectPublicKeyInfo
            byte[] bitString = concat(new byte[] {0}, der);
            byte[] spki = sequence(concat(RSA_ALGORITHM, tlv(0x03, bitString)));
            try {
                return rsa.generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException pkcs1) {
                // neither: the first reason says more ("RSA keys must be no longer than 16384 bits", the JDK's limit)
                e.addSuppressed(pkcs1);
                throw e;
            }
        }
    }

    /**
     * @param key a public key
     * @return the key's size in bits (RSA), or 256 for Ed25519
     */
    public static int bits(PublicKey key) {
        return key instanceof RSAKey r ? r.getModulus().bitLength() : 256;
    }

    /**
     * Reads a private key: PEM ({@code BEGIN PRIVATE KEY}, PKCS#8, RSA or Ed25519; {@code BEGIN RSA PRIVATE KEY},
     * PKCS#1), or a raw Ed25519 seed (32 bytes, base64).
     *
     * @param text the key text
     * @return the key
     * @throws GeneralSecurityException when the text holds no key this understands
     */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        String t = text.strip();
        if (!t.startsWith("-----BEGIN")) {
            byte[] seed = decode(t);
            if (seed.length != 32) {
                throw new GeneralSecurityException("not a PEM key, nor a 32-byte Ed25519 seed (" + seed.length
                        + " bytes)");
            }
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8,
                    seed)));
        }
        int headerEnd = t.indexOf('\n');
        String header = headerEnd < 0 ? t : t.substring(0, headerEnd).strip();
        int footer = t.indexOf("-----END");
        if (headerEnd < 0 || footer < 0) {
            throw new GeneralSecurityException("incomplete PEM block");
        }
        byte[] der = decode(t.substring(headerEnd + 1, footer));
        if (header.contains("RSA PRIVATE KEY")) {
            // PKCS#1: wrap it in PKCS#8 (version 0, rsaEncryption, the key as an OCTET STRING)
            der = sequence(concat(hex("020100"), concat(RSA_ALGORITHM, tlv(0x04, der))));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        if (!header.contains("BEGIN PRIVATE KEY")) {
            throw new GeneralSecurityException("unsupported PEM block: " + header);
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }

    /**
     * The DNS record that publishes a public key.
     *
     * @param key an RSA or Ed25519 public key
     * @return {@code v=DKIM1; k=rsa; p=...} or {@code v=DKIM1; k=ed25519; p=...}
     */
    public static String record(PublicKey key) {
        byte[] der = key.getEncoded();
        if (key.getAlgorithm().equals("RSA")) {
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(der);
        }
        byte[] raw = new byte[32];
        System.arraycopy(der, der.length - 32, raw, 0, 32);
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * @param base64 base64 text, white space allowed
     * @return the bytes
     * @throws GeneralSecurityException when it is not base64
     */
    public static byte[] decode(String base64) throws GeneralSecurityException {
        // one pass: white space skipped, anything else outside the alphabet refused, '=' only at the end
        byte[] out = new byte[base64.length() * 3 / 4 + 3];
        int n = 0;
        int bits = 0;
        int count = 0;
        int pad = 0;
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            int v = c < 128 ? BASE64[c] : -1;
            if (v == -2) {
                continue; // folding white space
            }
            if (c == '=') {
                pad++;
                continue;
            }
            if (v < 0 || pad > 0) {
                throw new GeneralSecurityException("not base64: '" + c + "' at " + i);
            }
            bits = bits << 6 | v;
            if (++count == 4) {
                out[n++] = (byte) (bits >> 16);
                out[n++] = (byte) (bits >> 8);
                out[n++] = (byte) bits;
                bits = 0;
                count = 0;
            }
        }
        if (count == 1 || pad > 2 || pad > 0 && (count + pad) % 4 != 0) {
            throw new GeneralSecurityException("not base64: truncated");
        }
        if (count == 2) {
            out[n++] = (byte) (bits >> 4);
        } else if (count == 3) {
            out[n++] = (byte) (bits >> 10);
            out[n++] = (byte) (bits >> 2);
        }
        return Arrays.copyOf(out, n);
    }

    /** Base64 values by ASCII code; -2 for white space, -1 for anything else. */
    private static final int[] BASE64 = new int[128];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
        BASE64[' '] = -2;
        BASE64['\t'] = -2;
        BASE64['\r'] = -2;
        BASE64['\n'] = -2;
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 128) {
            out.write(len);
        } else if (len < 256) {
            out.write(0x81);
            out.write(len);
        } else if (len < 65536) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] hex(String s) {
        byte[] r = new byte[s.length() / 2];
        for (int i = 0; i < r.length; i++) {
            r[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return r;
    }
}
