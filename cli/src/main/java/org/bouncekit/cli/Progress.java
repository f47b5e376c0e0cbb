package org.bouncekit.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * The progress line of a long run on a terminal: {@code "\r1234 messages, 56 MB"}, shown only after the first
 * second and redrawn at most four times a second. Disabled, it prints nothing.
 *
 * <p>Not thread-safe: used by the thread that runs a command.
 */
final class Progress {

    private static final long FIRST_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 250_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long last = start - EVERY_NANOS;
    private long messages;
    private long bytes;
    private int shownWidth;

    Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /**
     * Whether a person is probably watching: there is a console (stdin and stdout are a terminal) and, on Java 22
     * and later where {@code System.console()} is also returned for redirected streams, it is a terminal.
     */
    static boolean terminalAttached() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(c));
        } catch (NoSuchMethodException e) {
            return true; // before Java 22 a console is only returned for a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Counts one message of {@code size} bytes and redraws the line when it is time. */
    void message(long size) {
        messages++;
        bytes += size;
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - start >= FIRST_NANOS && now - last >= EVERY_NANOS) {
            last = now;
            draw();
        }
    }

    /** Erases the line, before something else is printed on stderr. */
    void clear() {
        if (shownWidth > 0) {
            err.print("\r" + " ".repeat(shownWidth) + "\r");
            err.flush();
            shownWidth = 0;
        }
    }

    /** Leaves the final count on its own line, if the line was shown at all. */
    void finish() {
        if (shownWidth > 0) {
            draw();
            err.println();
            err.flush();
            shownWidth = 0;
        }
    }

    private void draw() {
        String line = messages + " messages, " + (bytes >> 20) + " MB";
        String pad = line.length() < shownWidth ? " ".repeat(shownWidth - line.length()) : "";
        err.print("\r" + line + pad);
        err.flush();
        shownWidth = Math.max(shownWidth, line.length());
    }
}
