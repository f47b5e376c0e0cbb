package org.bouncekit.dnsauth.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * DNS data read from RFC 1035 zone files (dnsjava parses them): check a record before it is published, or run
 * the checkers without a network. Names not in the files are NXDOMAIN; nothing is asked of the network. Record
 * types the checkers do not read (SOA, NS, ...) are skipped.
 *
 * <p>Immutable once read; thread-safe.
 *
 * <pre>{@code
 * DnsClient dns = ZoneFileDnsClient.read(Path.of("example.org.zone"));
 * }</pre>
 */
public final class ZoneFileDnsClient implements DnsClient {

    private final InMemoryDnsClient data;

    private ZoneFileDnsClient(InMemoryDnsClient data) {
        this.data = data;
    }

    /**
     * Reads zone files; a file without {@code $ORIGIN} has the root as its origin, so its names must be absolute.
     *
     * @param files the files
     * @return the client
     * @throws IOException when a file cannot be read or parsed (a parse error reads {@code FILE:LINE: problem})
     */
    public static ZoneFileDnsClient read(Path... files) throws IOException {
        InMemoryDnsClient.Builder b = InMemoryDnsClient.builder();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f); Master m = new Master(in, Name.root)) {
                m.disableIncludes(); // a zone file names no other file to read
                Record r;
                while ((r = next(m, f)) != null) {
                    try {
                        add(b, r);
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        throw new IOException(f + ": " + r + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return new ZoneFileDnsClient(b.build());
    }

    private static Record next(Master m, Path f) throws IOException {
        try {
            return m.nextRecord();
        } catch (TextParseException e) {
            // dnsjava names a stream "<none>"; the message becomes FILE:LINE: PROBLEM
            String why = e.getMessage() == null ? "unreadable record" : e.getMessage();
            throw new IOException(why.startsWith("<none>:") ? f + why.substring(6) : f + ": " + why, e);
        }
    }

    private static void add(InMemoryDnsClient.Builder b, Record r) {
        String owner = r.getName().toString();
        long ttl = r.getTTL();
        if (r instanceof ARecord a) {
            b.add(owner, DnsType.A, new DnsRecord.Address(a.getAddress()), ttl);
        } else if (r instanceof AAAARecord a) {
            b.add(owner, DnsType.AAAA, new DnsRecord.Address(a.getAddress()), ttl);
        } else if (r instanceof MXRecord mx) {
            b.add(owner, DnsType.MX, new DnsRecord.Mx(mx.getPriority(), mx.getTarget().toString()), ttl);
        } else if (r instanceof TXTRecord txt) {
            StringBuilder sb = new StringBuilder();
            for (byte[] s : txt.getStringsAsByteArrays()) {
                sb.append(new String(s, StandardCharsets.UTF_8));
            }
            b.add(owner, DnsType.TXT, new DnsRecord.Txt(sb.toString()), ttl);
        } else if (r instanceof PTRRecord ptr) {
            b.add(owner, DnsType.PTR, new DnsRecord.Ptr(ptr.getTarget().toString()), ttl);
        } else if (r instanceof CNAMERecord c) {
            b.cname(owner, c.getTarget().toString());
        } else {
            b.exists(owner);
        }
    }

    @Override
    public CompletionStage<DnsAnswer> query(String name, DnsType type) {
        return data.query(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }
}
