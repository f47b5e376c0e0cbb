package org.bouncekit.classifier.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.bouncekit.classifier.BounceType;
import org.bouncekit.classifier.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened in headless Chromium (Debian's {@code chromium}): the browser's DOM holds every chart bar,
 * and its screenshot shows each chart's colours where the charts are. Fails when {@code CI=true} and Chromium is
 * missing; skipped otherwise.
 */
class AnalyticsHtmlChromiumTest {

    @TempDir
    static Path dir;
    static String chromium;
    static Path page;
    static String html;

    @BeforeAll
    static void render() throws IOException {
        chromium = find();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium not found on PATH (required when CI=true; .ci/run installs Debian's chromium)");
            }
            assumeTrue(false, "chromium not found on PATH");
        }
        BounceAnalytics a = BounceAnalytics.builder().build();
        Instant start = Instant.parse("2026-11-01T08:00:00Z");
        Reason[] reasons = {Reason.USERUNKNOWN, Reason.MAILBOXFULL, Reason.BLOCKED, Reason.SPEEDING};
        BounceType[] types = {BounceType.HARD, BounceType.SOFT, BounceType.BLOCK, BounceType.SOFT};
        for (int i = 0; i < 2_000; i++) {
            int k = i % 7 == 0 ? 2 : i % 4;
            a.add(BounceAnalyticsTest.event(start.plus(Duration.ofMinutes(i * 17L)).toString(),
                    "user" + i + "@d" + (i % 9) + ".example", reasons[k], types[k], "provider" + (i % 4),
                    "192.0.2." + (i % 3), "campaign" + (i % 2)));
        }
        html = a.snapshot().toHtml("BounceKit test report");
        page = Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
    }

    static String find() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) {
                    return Path.of(p, name).toString();
                }
            }
        }
        return null;
    }

    /** Runs headless Chromium on the page with the given extra arguments; returns its standard output. */
    static String chromium(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Path out = dir.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve("stderr.txt")
                .toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theBrowsersDomHoldsEveryChartAndBar() throws Exception {
        String dom = chromium("--dump-dom");
        assertTrue(dom.contains("BounceKit test report"), () -> "the page loaded: " + dom.length() + " chars");
        for (String id : List.of("chart-time", "chart-types", "chart-reasons", "chart-domains", "chart-providers")) {
            assertTrue(dom.contains("id=\"" + id + "\""), id);
        }
        int bars = count(html, "<rect class=\"bar");
        assertTrue(bars > 100, () -> bars + " bars");
        assertEquals(bars, count(dom, "<rect class=\"bar"), "every bar is in the browser's DOM");
    }

    @Test
    void theScreenshotShowsTheChartsColours() throws Exception {
        Path png = dir.resolve("shot.png");
        chromium("--window-size=1100,2600", "--screenshot=" + png);
        assertTrue(Files.size(png) > 0, "a screenshot was written");
        BufferedImage image = ImageIO.read(png.toFile());
        int hard = 0;
        int soft = 0;
        int block = 0;
        int reason = 0;
        int provider = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                hard += near(rgb, 0xc0392b) ? 1 : 0;
                soft += near(rgb, 0xe67e22) ? 1 : 0;
                block += near(rgb, 0x2c6fbb) ? 1 : 0;
                reason += near(rgb, 0x7b4fb3) ? 1 : 0;
                provider += near(rgb, 0x2e8b57) ? 1 : 0;
            }
        }
        // thousands of pixels of each chart colour: the bars were drawn, not merely present in the markup
        String seen = "hard " + hard + ", soft " + soft + ", block " + block + ", reason " + reason + ", provider "
                + provider + " pixels; the screenshot is " + png;
        assertTrue(hard > 2_000 && soft > 2_000 && block > 2_000, seen);
        assertTrue(reason > 2_000 && provider > 2_000, seen);
    }

    /** Whether two colours are within a few units per channel (antialiasing and colour management). */
    static boolean near(int rgb, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (expected >> shift & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }
}
