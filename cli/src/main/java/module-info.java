/**
 * The {@code bouncekit} command-line tool: reads bounces, feedback reports and auto-replies from files,
 * directories, Maildirs, mbox files and stdin, and writes one JSON line per recipient ({@code parse}), with its
 * classification ({@code classify}, which also classifies SMTP replies); lists and checks rule files
 * ({@code rules}); checks a client address by SPF ({@code spf}); verifies the DKIM signatures of messages and
 * signs messages ({@code dkim verify}, {@code dkim sign}).
 *
 * <p>The module exports no API: it is an application. Its package is opened to picocli, which reads the command
 * annotations and sets option fields by reflection.
 */
module org.bouncekit.cli {
    requires org.bouncekit.core;
    requires org.bouncekit.classifier;
    requires org.bouncekit.dnsauth;
    requires info.picocli;

    opens org.bouncekit.cli to info.picocli;
}
