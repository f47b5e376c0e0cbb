package org.bouncekit.dnsauth.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.bouncekit.dnsauth.DkimResult;
import org.bouncekit.dnsauth.DkimSignatureResult;
import org.bouncekit.dnsauth.DkimVerdict;
import org.bouncekit.dnsauth.spi.DnsAnswer;
import org.bouncekit.dnsauth.spi.DnsClient;
import org.bouncekit.dnsauth.spi.DnsRecord;
import org.bouncekit.dnsauth.spi.DnsType;

/**
 * DKIM verification (RFC 6376 §6, RFC 8463, RFC 8301): each signature's key is fetched (all at once), then each
 * signature is checked; the body hash of each canonicalization is computed once per message.
 *
 * <p>Immutable and thread-safe; the state of one verification lives in its own {@link Check}.
 */
public final class DkimEngine {

    /**
     * What a verification may do.
     *
     * @param dns             the DNS port
     * @param clock           the time for {@code t=}/{@code x=}
     * @param lenient         accept rsa-sha1, RSA keys under the minimum and signatures without {@code v=},
     *                        noting each
     * @param maxSignatures   signatures verified per message
     * @param minRsaBits      the smallest RSA key that passes (RFC 8301: 1024)
     * @param maxFutureSeconds how far in the future {@code t=} may be (clock skew)
     * @param maxHeaderFields header fields read per message
     * @param timeoutMillis   the time limit of one verification
     */
    public record Config(DnsClient dns, Clock clock, boolean lenient, int maxSignatures, int minRsaBits,
                         long maxFutureSeconds, int maxHeaderFields, long timeoutMillis) {
    }

    /** The c= values there are: {@code (simple|relaxed)(/(simple|relaxed))?}. */
    private static final Set<String> CANONICALIZATIONS = Set.of("simple", "relaxed", "simple/simple",
            "simple/relaxed", "relaxed/simple", "relaxed/relaxed");
    private static final int MAX_CACHED_KEYS = 1_000;

    private final Config config;
    /** Decoded keys by type and p= text: decoding an RSA key costs more than hashing a short message. */
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    /**
     * @param config the limits and ports
     */
    public DkimEngine(Config config) {
        this.config = config;
    }

    /** One message being verified: body hashes by canonicalization, shared by its signatures. */
    private final class Check {
        final RawMessage message;
        final Map<String, byte[]> bodyHashes = new HashMap<>();
        final Map<String, Long> bodyLengths = new HashMap<>();

        Check(RawMessage message) {
            this.message = message;
        }

        /** Body hash for a canonicalization, hash and length limit (computed once), with the whole length. */
        synchronized byte[] bodyHash(boolean relaxed, String hash, long limit) throws NoSuchAlgorithmException {
            String key = relaxed + hash + limit;
            byte[] h = bodyHashes.get(key);
            if (h == null) {
                MessageDigest d = MessageDigest.getInstance(hash.equals("sha1") ? "SHA-1" : "SHA-256");
                long length = DkimCanon.body(d, message.bytes(), message.bodyStart(), relaxed, limit);
                h = d.digest();
                bodyHashes.put(key, h);
                bodyLengths.put(relaxed + "", length);
            }
            return h;
        }

        synchronized long bodyLength(boolean relaxed) {
            return bodyLengths.get(relaxed + "");
        }
    }

    /**
     * @param bytes the message as received (CRLF or LF line ends)
     * @return the verification, never exceptional
     */
    public CompletableFuture<DkimResult> verify(byte[] bytes) {
        RawMessage message = RawMessage.of(bytes, config.maxHeaderFields());
        List<String> problems = new ArrayList<>();
        if (message.truncated()) {
            problems.add("more than " + config.maxHeaderFields() + " header fields; the rest were not read "
                    + "(limit maxHeaderFields)");
        }
        List<RawMessage.Field> sigs = new ArrayList<>();
        for (RawMessage.Field f : message.fields()) {
            if (f.lowerName().equals("dkim-signature")) {
                if (sigs.size() == config.maxSignatures()) {
                    problems.add("more than " + config.maxSignatures() + " DKIM signatures; the rest were not "
                            + "verified (limit maxSignatures)");
                    break;
                }
                sigs.add(f);
            }
        }
        Check check = new Check(message);
        List<CompletableFuture<DkimSignatureResult>> each = new ArrayList<>();
        for (RawMessage.Field f : sigs) {
            CompletableFuture<DkimSignatureResult> one;
            try {
                one = verify(check, f);
            } catch (RuntimeException e) {
                one = CompletableFuture.completedFuture(error(null, DkimVerdict.PERMERROR, "internal error: " + e));
            }
            if (!one.isDone()) {
                // only a key still on its way needs a timer (a timer per verification costs more than the rest)
                one = one.completeOnTimeout(error(null, DkimVerdict.TEMPERROR, "verification timed out after "
                        + config.timeoutMillis() + " ms"), config.timeoutMillis(), TimeUnit.MILLISECONDS);
            }
            each.add(one.exceptionally(e -> error(null, DkimVerdict.TEMPERROR, "key lookup failed: " + e)));
        }
        boolean done = true;
        for (CompletableFuture<DkimSignatureResult> f : each) {
            done &= f.isDone();
        }
        if (done) {
            List<DkimSignatureResult> results = new ArrayList<>();
            for (CompletableFuture<DkimSignatureResult> f : each) {
                results.add(f.join());
            }
            return CompletableFuture.completedFuture(new DkimResult(results, problems));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<DkimSignatureResult> results = new ArrayList<>();
            for (CompletableFuture<DkimSignatureResult> f : each) {
                results.add(f.join());
            }
            return new DkimResult(results, problems);
        });
    }

    private static DkimSignatureResult error(DkimTags tags, DkimVerdict v, String reason) {
        return result(tags, v, reason, 0, false, List.of());
    }

    private static DkimSignatureResult result(DkimTags tags, DkimVerdict v, String reason, int bits,
                                              boolean testing, List<String> notes) {
        String d = tags == null ? null : tags.get("d");
        List<String> headers = new ArrayList<>();
        if (tags != null) {
            for (String name : tags.signedNames()) {
                if (!name.isEmpty()) {
                    headers.add(name);
                }
            }
        }
        String l = tags == null ? null : tags.get("l");
        long length = -1;
        if (l != null) {
            try {
                length = Long.parseLong(l);
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        String identity = tags == null ? null : tags.get("i") != null ? tags.get("i") : d == null ? null : "@" + d;
        return new DkimSignatureResult(d == null ? null : d.toLowerCase(Locale.ROOT),
                tags == null ? null : tags.get("s"), tags == null ? null : tags.get("a"), v, reason, identity,
                headers, length, bits, testing, notes);
    }

    private CompletableFuture<DkimSignatureResult> verify(Check check, RawMessage.Field field) {
        DkimTags tags = DkimTags.parse(check.message.rawValue(field));
        if (tags.error() != null) {
            return done(error(null, DkimVerdict.NEUTRAL, "signature syntax: " + tags.error()));
        }
        if (check.message.truncated()) {
            // the signed fields are found from the bottom of the header up: a header not read whole gives a hash
            // of the wrong fields, and a valid signature would FAIL
            return done(error(tags, DkimVerdict.PERMERROR, "the header has more than " + config.maxHeaderFields()
                    + " fields and was not read whole, so the signed fields cannot be found (limit "
                    + "maxHeaderFields)"));
        }
        List<String> notes = new ArrayList<>();
        String problem = validate(tags, notes);
        if (problem != null) {
            return done(error(tags, problem.startsWith("policy:") ? DkimVerdict.POLICY : DkimVerdict.NEUTRAL,
                    problem.startsWith("policy:") ? problem.substring(8) : problem));
        }
        String d = tags.get("d").toLowerCase(Locale.ROOT);
        String s = tags.get("s");
        String keyName = s + "._domainkey." + d;
        if (DomainNames.invalidLabels(keyName) != null) {
            return done(error(tags, DkimVerdict.NEUTRAL, "invalid key name " + keyName));
        }
        return config.dns().query(keyName, DnsType.TXT).toCompletableFuture()
                .thenApply(answer -> withKey(check, field, tags, notes, keyName, answer));
    }

    private static CompletableFuture<DkimSignatureResult> done(DkimSignatureResult r) {
        return CompletableFuture.completedFuture(r);
    }

    /** The checks of RFC 6376 §6.1.1 that need no key; a problem, "policy: ..." for time, or null. */
    private String validate(DkimTags t, List<String> notes) {
        String v = t.get("v");
        if (v == null) {
            if (!config.lenient()) {
                return "no v= tag (a pre-RFC draft signature)";
            }
            notes.add("no v= tag (a pre-RFC draft signature), accepted in lenient mode");
        } else if (!v.equals("1")) {
            return "unsupported version v=" + v;
        }
        for (String required : new String[] {"a", "b", "bh", "d", "h", "s"}) {
            if (t.get(required) == null || t.get(required).isEmpty() && !required.equals("b")) {
                return "missing " + required + "= tag";
            }
        }
        String a = t.get("a");
        if (!a.equals("rsa-sha256") && !a.equals("rsa-sha1") && !a.equals("ed25519-sha256")) {
            return "unsupported algorithm a=" + a;
        }
        String c = t.get("c");
        if (c != null && !CANONICALIZATIONS.contains(c)) {
            return "unsupported canonicalization c=" + c;
        }
        boolean from = false;
        for (String name : t.signedNames()) {
            from |= name.equalsIgnoreCase("from");
        }
        if (!from) {
            return "h= does not sign the From field";
        }
        String q = t.get("q");
        if (q != null && !Arrays.asList(DkimTags.withoutFws(q).split(":")).contains("dns/txt")) {
            return "unsupported query method q=" + q;
        }
        String d = t.get("d").toLowerCase(Locale.ROOT);
        String i = t.get("i");
        if (i != null) {
            int at = i.lastIndexOf('@');
            String idomain = at < 0 ? "" : i.substring(at + 1).toLowerCase(Locale.ROOT);
            if (at < 0 || !(idomain.equals(d) || idomain.endsWith("." + d))) {
                return "i=" + i + " is not in the signing domain " + d;
            }
        }
        String l = t.get("l");
        if (l != null) {
            if (!digits(l) || l.length() > 76) {
                return "malformed l=" + l;
            }
            notes.add("l=" + l + ": only the first " + l + " bytes of the body are signed; text may have been "
                    + "appended");
        }
        long now = config.clock().instant().getEpochSecond();
        Long ts = number(t.get("t"));
        Long xs = number(t.get("x"));
        if (t.get("t") != null && ts == null || t.get("x") != null && xs == null) {
            return "malformed t= or x=";
        }
        if (ts != null && xs != null && xs < ts) {
            return "x= is before t=";
        }
        if (xs != null && xs < now) {
            return "policy: signature expired (x=" + xs + ")";
        }
        if (ts != null && ts > now + config.maxFutureSeconds()) {
            return "policy: signature timestamp in the future (t=" + ts + ")";
        }
        return null;
    }

    private static Long number(String s) {
        if (s == null || s.length() > 12 || !digits(s)) {
            return null;
        }
        return Long.parseLong(s);
    }

    /** Whether s is {@code [0-9]+}. */
    private static boolean digits(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private DkimSignatureResult withKey(Check check, RawMessage.Field field, DkimTags tags, List<String> notes,
                                        String keyName, DnsAnswer answer) {
        if (answer.isTemporaryFailure()) {
            return error(tags, DkimVerdict.TEMPERROR, "key lookup failed: DNS " + answer.outcome() + " for "
                    + keyName);
        }
        if (answer.isVoid()) {
            return error(tags, DkimVerdict.PERMERROR, "no key record at " + keyName);
        }
        String a = tags.get("a");
        String keyType = a.startsWith("ed25519") ? "ed25519" : "rsa";
        String hash = a.endsWith("sha1") ? "sha1" : "sha256";
        DkimTags key = null;
        String keyText = null;
        String keyProblem = null;
        for (DnsRecord r : answer.records()) {
            String text = ((DnsRecord.Txt) r).text();
            DkimTags k = DkimTags.parse(text);
            keyProblem = keyProblem(k, keyType, hash);
            if (keyProblem == null) {
                key = k;
                keyText = text;
                break;
            }
        }
        if (key == null) {
            return error(tags, DkimVerdict.PERMERROR, keyProblem);
        }
        boolean testing = false;
        boolean strict = false;
        String flags = key.get("t");
        if (flags != null) {
            for (String f : DkimTags.withoutFws(flags).split(":")) {
                testing |= f.equals("y");
                strict |= f.equals("s");
            }
        }
        if (strict && tags.get("i") != null) {
            String i = tags.get("i");
            if (!i.substring(i.lastIndexOf('@') + 1).equalsIgnoreCase(tags.get("d"))) {
                return result(tags, DkimVerdict.PERMERROR, "the key forbids subdomains in i= (t=s)", 0, testing,
                        notes);
            }
        }
        PublicKey publicKey;
        try {
            publicKey = publicKey(keyText, keyType, key.get("p"));
        } catch (GeneralSecurityException e) {
            return error(tags, DkimVerdict.PERMERROR, "unusable key: " + e.getMessage());
        }
        int bits = DkimKeys.bits(publicKey);
        try {
            return check(check, field, tags, notes, publicKey, bits, testing, hash);
        } catch (GeneralSecurityException e) {
            return result(tags, DkimVerdict.FAIL, "signature did not verify (" + e.getMessage() + ")", bits,
                    testing, notes);
        }
    }

    /**
     * The key of a record, decoded once: cached by the record's text (a DNS cache hands back the same string, whose
     * hash is then already known).
     */
    private PublicKey publicKey(String record, String type, String p) throws GeneralSecurityException {
        PublicKey k = keys.get(record);
        if (k == null) {
            k = DkimKeys.publicKey(type, DkimKeys.decode(p));
            if (keys.size() >= MAX_CACHED_KEYS) {
                keys.clear();
            }
            if (record.length() <= 4096) {
                keys.put(record, k);
            }
        }
        return k;
    }

    /** What is wrong with a key record for this signature, or null. */
    private static String keyProblem(DkimTags k, String keyType, String hash) {
        if (k.error() != null) {
            return "key record syntax: " + k.error();
        }
        String v = k.get("v");
        if (v != null && (!v.equals("DKIM1") || !k.all().keySet().iterator().next().equals("v"))) {
            return "key record version v=" + v;
        }
        String kt = k.get("k") == null ? "rsa" : k.get("k");
        if (!kt.equals(keyType)) {
            return "key type k=" + kt + " does not match the signature's algorithm";
        }
        String h = k.get("h");
        if (h != null && !Arrays.asList(DkimTags.withoutFws(h).split(":")).contains(hash)) {
            return "the key does not allow " + hash + " (h=" + h + ")";
        }
        String svc = k.get("s");
        if (svc != null) {
            List<String> services = Arrays.asList(DkimTags.withoutFws(svc).split(":"));
            if (!services.contains("*") && !services.contains("email")) {
                return "the key is not for email (s=" + svc + ")";
            }
        }
        String p = k.get("p");
        if (p == null) {
            return "key record without p=";
        }
        if (DkimTags.isFwsOnly(p)) {
            return "key revoked (empty p=)";
        }
        return null;
    }

    private DkimSignatureResult check(Check check, RawMessage.Field field, DkimTags tags, List<String> notes,
                                      PublicKey key, int bits, boolean testing, String hash)
            throws GeneralSecurityException {
        String c = tags.get("c") == null ? "simple/simple" : tags.get("c");
        boolean relaxedHeader = c.startsWith("relaxed");
        boolean relaxedBody = c.endsWith("/relaxed");
        long limit = tags.get("l") == null ? -1 : parseLimit(tags.get("l"));
        byte[] bh = check.bodyHash(relaxedBody, hash, limit);
        byte[] expected = DkimKeys.decode(tags.get("bh"));
        if (limit >= 0 && check.bodyLength(relaxedBody) < limit) {
            return result(tags, DkimVerdict.PERMERROR, "the body is shorter than l=" + limit, bits, testing, notes);
        }
        if (!MessageDigest.isEqual(bh, expected)) {
            return result(tags, DkimVerdict.FAIL, "body hash did not verify", bits, testing, notes);
        }
        byte[] data = signedData(check.message, field, tags, relaxedHeader);
        byte[] signature = DkimKeys.decode(tags.get("b"));
        boolean ok;
        String a = tags.get("a");
        if (a.startsWith("ed25519")) {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(key);
            sig.update(MessageDigest.getInstance("SHA-256").digest(data)); // RFC 8463: PureEdDSA over the digest
            ok = sig.verify(signature);
        } else {
            Signature sig = Signature.getInstance(hash.equals("sha1") ? "SHA1withRSA" : "SHA256withRSA");
            sig.initVerify(key);
            sig.update(data);
            ok = sig.verify(signature);
        }
        if (!ok) {
            return result(tags, DkimVerdict.FAIL, "signature did not verify", bits, testing, notes);
        }
        if (hash.equals("sha1")) {
            if (!config.lenient()) {
                return result(tags, DkimVerdict.POLICY, "rsa-sha1 is not accepted (RFC 8301)", bits, testing,
                        notes);
            }
            notes.add("rsa-sha1, accepted in lenient mode (RFC 8301 says it must not pass)");
        }
        if (key.getAlgorithm().equals("RSA") && bits < config.minRsaBits()) {
            if (!config.lenient()) {
                return result(tags, DkimVerdict.POLICY, bits + "-bit RSA key is too short (RFC 8301: "
                        + config.minRsaBits() + ")", bits, testing, notes);
            }
            notes.add(bits + "-bit RSA key, accepted in lenient mode");
        }
        return result(tags, DkimVerdict.PASS, null, bits, testing, notes);
    }

    private static long parseLimit(String l) {
        try {
            return Long.parseLong(l);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // more digits than a long: longer than any body
        }
    }

    /**
     * The header data a signature covers (RFC 6376 §3.7): the fields named in h=, each taken from the bottom up,
     * then the signature field with its b= value emptied, without its final line break.
     */
    static byte[] signedData(RawMessage m, RawMessage.Field sigField, DkimTags tags, boolean relaxed) {
        return signedData(m, tags.signedNames(), withoutSignatureValue(m.bytes(), sigField), relaxed);
    }

    /**
     * The header data a signature covers.
     *
     * @param m        the message
     * @param h        the h= list
     * @param own      the signature field's bytes, b= empty
     * @param relaxed  relaxed header canonicalization
     * @return the bytes to hash and sign
     */
    public static byte[] signedData(RawMessage m, String h, byte[] own, boolean relaxed) {
        return signedData(m, List.of(DkimTags.withoutFws(h).split(":")), own, relaxed);
    }

    private static byte[] signedData(RawMessage m, List<String> names, byte[] own, boolean relaxed) {
        DkimCanon.Bytes out = new DkimCanon.Bytes();
        List<RawMessage.Field> fields = m.fields();
        // each name takes the lowest field of that name not taken yet (a name signed more often than present
        // signs absence); names are compared by hash first, as most are not equal
        int[] hashes = new int[fields.size()];
        for (int k = 0; k < hashes.length; k++) {
            hashes[k] = fields.get(k).lowerName().hashCode();
        }
        boolean[] taken = new boolean[fields.size()];
        byte[] b = m.bytes();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            int hash = lower.hashCode();
            for (int k = fields.size() - 1; k >= 0; k--) {
                if (hashes[k] == hash && !taken[k] && fields.get(k).lowerName().equals(lower)) {
                    taken[k] = true;
                    RawMessage.Field f = fields.get(k);
                    DkimCanon.header(out, b, f.start(), f.end(), relaxed, true);
                    break;
                }
            }
        }
        DkimCanon.header(out, own, 0, own.length, relaxed, false);
        return out.toByteArray();
    }

    /** The signature field's bytes with the value of its b= tag removed (b= itself stays). */
    static byte[] withoutSignatureValue(byte[] b, RawMessage.Field f) {
        int colon = f.start();
        while (b[colon] != ':') {
            colon++;
        }
        int i = colon + 1;
        int end = f.end();
        while (i < end) {
            int specEnd = i;
            while (specEnd < end && b[specEnd] != ';') {
                specEnd++;
            }
            int eq = i;
            while (eq < specEnd && b[eq] != '=') {
                eq++;
            }
            int ns = i;
            while (ns < eq && isWsp(b[ns])) {
                ns++;
            }
            int ne = eq;
            while (ne > ns && isWsp(b[ne - 1])) {
                ne--;
            }
            if (eq < specEnd && ne - ns == 1 && b[ns] == 'b') {
                // keep the field's final line break (it ends the field, not the value)
                int valueEnd = specEnd;
                if (specEnd == end) {
                    while (valueEnd > eq + 1 && (b[valueEnd - 1] == '\n' || b[valueEnd - 1] == '\r')) {
                        valueEnd--;
                    }
                }
                byte[] out = new byte[(end - f.start()) - (valueEnd - (eq + 1))];
                System.arraycopy(b, f.start(), out, 0, eq + 1 - f.start());
                System.arraycopy(b, valueEnd, out, eq + 1 - f.start(), end - valueEnd);
                return out;
            }
            i = specEnd + 1;
        }
        return Arrays.copyOfRange(b, f.start(), end);
    }

    private static boolean isWsp(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
