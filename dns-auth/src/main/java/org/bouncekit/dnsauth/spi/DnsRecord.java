package org.bouncekit.dnsauth.spi;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One record of an answer, typed by what the checkers read from it.
 *
 * <p>Implementations are immutable records; thread-safe.
 */
public sealed interface DnsRecord permits DnsRecord.Address, DnsRecord.Mx, DnsRecord.Txt, DnsRecord.Ptr {

    /**
     * An A or AAAA record.
     *
     * @param address the address
     */
    record Address(InetAddress address) implements DnsRecord {
        /**
         * @param address see {@link #address()}
         */
        public Address {
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * An MX record.
     *
     * @param preference the preference, lower first
     * @param exchange   the mail exchanger's name, without the trailing dot
     */
    record Mx(int preference, String exchange) implements DnsRecord {
        /**
         * @param preference see {@link #preference()}
         * @param exchange   see {@link #exchange()}
         */
        public Mx {
            exchange = DnsNames.relative(Objects.requireNonNull(exchange, "exchange"));
        }
    }

    /**
     * A TXT record, its character-strings joined without separator (RFC 7208 §3.3).
     *
     * @param text the joined text
     */
    record Txt(String text) implements DnsRecord {
        /**
         * @param text see {@link #text()}
         */
        public Txt {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A PTR record.
     *
     * @param name the name it points to, without the trailing dot
     */
    record Ptr(String name) implements DnsRecord {
        /**
         * @param name see {@link #name()}
         */
        public Ptr {
            name = DnsNames.relative(Objects.requireNonNull(name, "name"));
        }
    }
}
