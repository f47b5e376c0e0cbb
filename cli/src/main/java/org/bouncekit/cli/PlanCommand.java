package org.bouncekit.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bouncekit.classifier.Classification;
import org.bouncekit.classifier.Classifier;
import org.bouncekit.classifier.policy.DeliveryHistory;
import org.bouncekit.classifier.policy.RetryDecision;
import org.bouncekit.classifier.policy.RetryPolicy;
import org.bouncekit.core.SmtpReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bouncekit plan --smtp TEXT [--attempts N] [--first-attempt ISO-8601]}: what the default retry policy
 * does about a recipient whose attempts all got this reply, as one JSON object: the reply and its classification
 * (the fields of {@code classify --smtp}), then {@code attempts}, {@code firstAttempt}, {@code lastAttempt},
 * {@code action} ({@code retry}, {@code give_up}, {@code suppress}, {@code wait_for_destination}), {@code retryAt},
 * {@code giveUpAt}, {@code reportStatus}, {@code sameSendingIdentity}, {@code delayWarnings}, {@code explanation}
 * and {@code schedule} (every later retry instant if every attempt fails the same way).
 *
 * <p>The attempts before the last are made at the times the policy itself gives, from the first attempt; the
 * decision is the one made right after the last attempt.
 *
 * <p>Not thread-safe: an instance runs once, on one thread.
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Shows what the default retry policy does about a recipient whose attempts all got the SMTP reply "
                    + "TEXT: the decision after the last attempt and the schedule of the later retries, as one JSON "
                    + "object on stdout.",
            "",
            "Fields: input, replyCode, status, text, reason, type, decision, retryable, provider, rule, ruleSet, "
                    + "evidenceField, evidenceSpan (as 'classify --smtp'); attempts, firstAttempt, lastAttempt; "
                    + "action (retry, give_up, suppress, wait_for_destination), retryAt, giveUpAt, reportStatus "
                    + "(the status to report on giving up), sameSendingIdentity (true for a greylisting retry, "
                    + "which should come from the same IP), delayWarnings (when to tell the sender the message "
                    + "is delayed), explanation; schedule (every later retry if every attempt fails the same way).",
            "",
            "The default policy follows RFC 5321 section 4.5.4.1: retries after 30 minutes, 30 minutes, 1 hour, "
                    + "1.5 hours, 2.25 hours, then every 3 hours, giving up 5 days after the first attempt."
        },
        footer = {"", "Exit status: 0 done, 2 usage error (an invalid --attempts or --first-attempt)."})
final class PlanCommand implements Callable<Integer> {

    /** The most attempts a plan may assume. */
    static final int MAX_ATTEMPTS = 1000;

    @Option(names = "--smtp", required = true, paramLabel = "TEXT",
            description = "The SMTP reply every attempt got; a literal \\n separates the lines of a multi-line "
                    + "reply.")
    private String smtp;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "1",
            description = "How many attempts have been made (default: ${DEFAULT-VALUE}).")
    private int attempts;

    @Option(names = "--first-attempt", paramLabel = "ISO-8601",
            description = "When the first attempt was made, such as 2026-11-26T09:00:00Z (default: now).")
    private String firstAttempt;

    @Option(names = "--recipient", paramLabel = "ADDRESS", defaultValue = "recipient@example.invalid",
            description = "The recipient, for per-domain overrides of a policy, none of which the default policy "
                    + "has (default: ${DEFAULT-VALUE}).")
    private String recipient;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "A rule file to apply after the built-in rules (repeatable), as for classify.")
    private List<Path> ruleFiles;

    private final OutputStream out;
    private final PrintStream err;
    private final Clock clock;

    PlanCommand(OutputStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            err.println("bouncekit: --attempts: expected 1 to " + MAX_ATTEMPTS + ": " + attempts);
            return 2;
        }
        Instant first;
        try {
            first = firstAttempt == null ? clock.instant() : Instant.parse(firstAttempt.strip());
        } catch (DateTimeParseException e) {
            err.println("bouncekit: --first-attempt: expected an ISO-8601 instant such as 2026-11-26T09:00:00Z: "
                    + firstAttempt);
            return 2;
        }
        if (first.isBefore(DeliveryHistory.EARLIEST) || first.isAfter(DeliveryHistory.LATEST)) {
            err.println("bouncekit: --first-attempt: expected an instant from " + DeliveryHistory.EARLIEST + " to "
                    + DeliveryHistory.LATEST + ": " + firstAttempt);
            return 2;
        }
        if (recipient.isBlank()) {
            err.println("bouncekit: --recipient: expected an address, not blank");
            return 2;
        }
        Classifier classifier = ClassifyCommand.classifier(ruleFiles, err);
        if (classifier == null) {
            return 2;
        }
        String input = ClassifyCommand.unescape(smtp);
        Optional<SmtpReply> reply = SmtpReply.parse(input);
        Classification c = reply.isPresent() ? classifier.classify(reply.get())
                : classifier.classify(0, null, input, null);
        String status = reply.flatMap(SmtpReply::enhancedStatus).map(Object::toString).orElse(null);

        // the attempts before the last, at the times the policy gives
        DeliveryHistory h = DeliveryHistory.first(recipient, first, c, status);
        RetryDecision d = policy(first).decide(h);
        int made = 1;
        while (made < attempts && d.retryAt() != null) {
            h = h.next(d.retryAt(), c, status);
            made++;
            d = policy(h.lastAttempt()).decide(h);
        }
        RetryDecision decision = d;
        DeliveryHistory history = h;
        List<Instant> schedule = policy(history.lastAttempt()).plan(history);
        int attemptsMade = made;
        return OneObject.print(out, err, json -> {
            json.beginObject();
            ClassifyCommand.writeReplyMembers(json, input, reply, c);
            json.name("attempts").value(attemptsMade);
            json.name("firstAttempt").value(history.firstAttempt().toString());
            json.name("lastAttempt").value(history.lastAttempt().toString());
            json.name("action").value(decision.action().name().toLowerCase(java.util.Locale.ROOT));
            json.name("retryAt").value(decision.retryAt() == null ? null : decision.retryAt().toString());
            json.name("giveUpAt").value(decision.giveUpAt() == null ? null : decision.giveUpAt().toString());
            json.name("reportStatus").value(decision.status());
            json.name("sameSendingIdentity").value(decision.sameSendingIdentity());
            json.strings("delayWarnings", strings(decision.delayWarnings()));
            json.name("explanation").value(decision.explanation());
            json.strings("schedule", strings(schedule));
            json.endObject();
        });
    }

    /** The default policy, deciding at the given instant. */
    private static RetryPolicy policy(Instant now) {
        return RetryPolicy.builder().clock(Clock.fixed(now, java.time.ZoneOffset.UTC)).build();
    }

    private static List<String> strings(List<Instant> instants) {
        List<String> l = new ArrayList<>(instants.size());
        instants.forEach(i -> l.add(i.toString()));
        return l;
    }
}
