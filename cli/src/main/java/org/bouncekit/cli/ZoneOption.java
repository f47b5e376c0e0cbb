package org.bouncekit.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.bouncekit.dnsauth.spi.DnsClient;
import picocli.CommandLine.Option;

/**
 * The {@code --zone FILE} option of the commands that ask DNS: zone files instead of the network. A picocli mixin;
 * not thread-safe (an instance serves one command line).
 */
final class ZoneOption {

    @Option(names = "--zone", paramLabel = "FILE",
            description = "An RFC 1035 zone file to take DNS data from, instead of the network (repeatable; "
                    + "names are relative to $ORIGIN, or to the root when there is none).")
    List<Path> files;

    /**
     * @param err where a zone file that cannot be read is said, on one line
     * @return the zone files' data, or the system's resolvers without {@code --zone}; null when a file could not
     *         be read or parsed
     */
    DnsClient dns(PrintStream err) {
        return SpfCommand.dns(files, err);
    }
}
