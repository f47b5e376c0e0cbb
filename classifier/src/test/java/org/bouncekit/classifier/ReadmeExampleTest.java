package org.bouncekit.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncekit.core.Report;
import org.bouncekit.core.ReportParser;
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

        String readme = Files.readString(Path.of("..", "README.md"));
        String source = Files.readString(Path.of("src", "test", "java", "org", "bouncekit", "classifier",
                "ReadmeExampleTest.java"));
        String block = source.substring(source.indexOf("// README classify begin\n") + 25,
                source.indexOf("        // README classify end"));
        StringBuilder unindented = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            unindented.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        String expected = unindented.toString().strip();
        assertEquals(true, readme.contains("```java\n" + expected + "\n```"),
                "README must show the example exactly as compiled:\n" + expected);
    }
}
