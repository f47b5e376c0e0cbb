package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.bouncekit.classifier.analytics.BounceAnalytics;
import org.bouncekit.classifier.analytics.BounceEvent;
import org.bouncekit.classifier.policy.DeliveryHistory;
import org.bouncekit.classifier.policy.DestinationKey;
import org.bouncekit.classifier.policy.DestinationState;
import org.bouncekit.classifier.policy.DestinationThrottle;
import org.bouncekit.classifier.policy.DestinationThrottles;
import org.bouncekit.classifier.policy.InMemorySuppressionStore;
import org.bouncekit.classifier.policy.RetryDecision;
import org.bouncekit.classifier.policy.RetryPolicy;
import org.bouncekit.classifier.policy.SuppressionList;
import org.bouncekit.classifier.policy.SuppressionPolicy;
import org.bouncekit.classifier.policy.ThrottleAdvice;
import org.bouncekit.classifier.policy.ThrottleSignal;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
import org.bouncekit.core.SmtpReply;
import org.junit.jupiter.api.Test;

/** Compiles and runs the classifier example of the README; the README's block must stay identical to it. */
class ReadmeExampleTest {

    @Test
    void classifyExample() throws IOException {
        Report report = ReportParser.defaults().parse(Path.of("..", "samples", "dsn-two-recipients.eml"));
        List<String> suppress = new ArrayList<>();
        List<String> retryLater = new ArrayList<>();
        List<String> out = new ArrayList<>();
        // README classify begin
        Classifier classifier = Classifier.defaults();          // immutable, share it
        for (Classification c : classifier.classify(report)) {
            switch (c.decision()) {
                case SUPPRESS -> suppress.add(c.recipient());
                case RETRY, THROTTLE -> retryLater.add(c.recipient());
                default -> { }
            }
            out.add(c.recipient() + " " + c.reason().token() + " " + c.type().token() + " "
                    + c.evidence().ruleSet() + ":" + c.evidence().ruleId());
        }
        // README classify end
        assertEquals(List.of("carol@example.org"), suppress);
        assertEquals(List.of("dave@example.net"), retryLater);
        assertEquals(2, out.size());
        assertEquals("carol@example.org userunknown hard providers:gmail.nosuchuser", out.get(0));

        assertInReadme("classify");
    }

    @Test
    void policiesExample() throws IOException {
        Classifier classifier = Classifier.defaults();
        // README policies begin
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T09:00:00Z"), ZoneOffset.UTC);
        Classification c = classifier.classify(SmtpReply.parse("452 4.2.2 Mailbox full").orElseThrow());

        RetryPolicy retry = RetryPolicy.builder().clock(clock).build();       // RFC 5321 defaults
        RetryDecision d = retry.decide(DeliveryHistory.first("bob@example.org", clock.instant(), c, "4.2.2"));

        SuppressionList suppressions = new SuppressionList(SuppressionPolicy.builder().clock(clock).build(),
                new InMemorySuppressionStore());
        suppressions.record("bob@example.org", c);                           // one soft bounce: counted

        DestinationKey gmailFromOurIp = DestinationKey.of("gmail.com", "192.0.2.1");
        DestinationThrottles throttles = DestinationThrottles.of(
                DestinationThrottle.builder().defaultRules().clock(clock).build());
        throttles.signal(gmailFromOurIp, ThrottleSignal.reply(clock.instant(), c));
        ThrottleAdvice advice = throttles.advice(gmailFromOurIp);

        BounceAnalytics analytics = BounceAnalytics.builder().build();
        analytics.add(new BounceEvent(clock.instant(), "bob@example.org", c, "192.0.2.1", "november"));
        String html = analytics.snapshot().toHtml("Bounces");
        // README policies end
        assertEquals(RetryDecision.Action.RETRY, d.action());
        assertEquals(Instant.parse("2026-11-26T09:30:00Z"), d.retryAt());
        assertEquals(false, suppressions.isSuppressed("bob@example.org"));
        assertEquals(DestinationState.Level.NORMAL, advice.level());
        assertEquals(true, html.contains("mailboxfull"));
        assertInReadme("policies");
    }

    /** The README must show the block between the markers exactly as compiled here. */
    private static void assertInReadme(String name) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src", "test", "java", "org", "bouncekit", "classifier",
                "ReadmeExampleTest.java"));
        String begin = "// README " + name + " begin\n";
        String block = source.substring(source.indexOf(begin) + begin.length(),
                source.indexOf("        // README " + name + " end"));
        StringBuilder unindented = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String expected = unindented.toString().strip();
        assertEquals(true, readme.contains("```java\n" + expected + "\n```"),
                "README must show the example exactly as compiled:\n" + expected);
    }
}
