package org.bouncekit.dnsauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.bouncekit.dnsauth.internal.IpLiterals;
import org.bouncekit.dnsauth.internal.IpText;
import org.junit.jupiter.api.Test;

class IpTextTest {

    @Test
    void ipv6IsWrittenInRfc5952Form() throws UnknownHostException {
        Map<String, String> cases = Map.of(
                "0:0:0:0:0:0:0:0", "::",
                "0:0:0:0:0:0:0:1", "::1",
                "1:0:0:0:0:0:0:0", "1::",
                "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1",
                "2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1",
                "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1",
                "2001:db8::ffff:0:1", "2001:db8::ffff:0:1");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertEquals(c.getValue(), IpText.readable(InetAddress.getByName(c.getKey())), c.getKey());
        }
        assertEquals("192.0.2.1", IpText.readable(IpLiterals.parse("::ffff:192.0.2.1")));
    }

    @Test
    void macroAndReverseForms() {
        InetAddress v6 = IpLiterals.parse("2001:db8::cb01");
        assertEquals("2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1", IpText.macro(v6));
        assertEquals("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
                IpText.reverseName(v6));
        assertEquals("2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.C.B.0.1",
                IpText.macroPreservingCase("2001:DB8::CB01", v6));
        assertEquals("10.2.0.192.in-addr.arpa", IpText.reverseName(IpLiterals.parse("192.0.2.10")));
    }

    @Test
    void literalsAreStrict() {
        for (String bad : new String[] {"192.0.2", "192.0.2.256", "192.0.02.1", "1::2::3", ":1::2", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "2001:db8::g", "example.org", "", "1.2.3.4.5", "::1:", "12345::"}) {
            assertNull(IpLiterals.bytes(bad), bad);
        }
        assertEquals(16, IpLiterals.bytes("::ffff:192.0.2.1").length);
        assertEquals(16, IpLiterals.bytes("1:2:3:4:5:6:7::").length);
    }
}
