package org.bouncekit.cli;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the paths given on a command line into a sequence of raw messages, one {@link Input} at a time, for any
 * command that reads mail.
 *
 * <ul>
 *   <li>A file is one message, named by its path, unless it is an mbox.</li>
 *   <li>A directory is read recursively in a deterministic order (entries sorted by name at each level). Entries
 *       whose name starts with {@code .} are skipped, as are entries that are neither files nor directories (FIFOs,
 *       devices, broken links). A directory reached twice through symbolic links is read once.</li>
 *   <li>A Maildir (a directory with {@code cur/} and {@code new/} subdirectories) is read the same way, except
 *       that its {@code tmp/} is skipped: it holds deliveries in progress.</li>
 *   <li>An mbox is any file (or stdin) whose first line starts with {@code "From "}. It is split into messages at
 *       lines starting with {@code "From "} that begin the input or follow an empty line; the separator line and
 *       the empty line before it are not part of a message. Quoted lines ({@code >From }, {@code >>From }, ...) are
 *       un-escaped mboxrd-style by removing one {@code >}. Lines may end in LF, CRLF or CR. Message {@code n}
 *       (from 1) is named {@code path#n}.</li>
 *   <li>{@code -} is stdin, named {@code -}; it may be a single message or an mbox. Stdin is not closed.</li>
 * </ul>
 *
 * <p>At most {@code maxBytes + 1} bytes of any message are kept, so that a huge input cannot exhaust the heap and
 * a parser given the {@link Message} can still tell (from a length above its limit) that the message was cut.
 *
 * <p>An input that cannot be read gives a {@link Failure} and the walk goes on with the next one. Directories are
 * listed and files opened lazily, as {@link #next()} reaches them.
 *
 * <p>Not thread-safe: consume an instance from one thread. {@link #close()} releases an mbox left half-read.
 */
public final class InputWalker implements Iterator<InputWalker.Input>, Closeable {

    /** The source name of stdin. */
    public static final String STDIN = "-";

    /** One item of the walk: a {@link Message} or a {@link Failure}. */
    public sealed interface Input permits Message, Failure {
        /**
         * Where the item comes from: a path as given or found, {@code path#n} for the n-th message of an mbox,
         * {@code -} for stdin.
         *
         * @return the source name
         */
        String source();
    }

    /**
     * A raw message. The array is owned by the receiver; only the first {@code length} bytes are the message.
     * Immutable and thread-safe as long as nobody writes to the array.
     *
     * @param source the source name
     * @param data   the bytes, at least {@code length} long
     * @param length the number of bytes read, at most {@code maxBytes + 1}
     */
    public record Message(String source, byte[] data, int length) implements Input {
        /**
         * Checks the length against the array.
         *
         * @param source the source name
         * @param data   the bytes
         * @param length the number of bytes of the message
         * @throws IndexOutOfBoundsException if {@code length} is negative or beyond the array
         */
        public Message {
            Objects.requireNonNull(source, "source");
            Objects.checkFromIndexSize(0, length, data.length);
        }
    }

    /**
     * An input that could not be read, in whole or after some messages of an mbox. Immutable and thread-safe.
     *
     * @param source the source name
     * @param reason why, in a few words (for example {@code no such file or directory})
     */
    public record Failure(String source, String reason) implements Input {
        /**
         * Checks for null.
         *
         * @param source the source name
         * @param reason why
         */
        public Failure {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private static final Object STDIN_TASK = new Object();

    private final InputStream stdin;
    private final int keepBytes;
    /** Pending work, next first: {@link Path}s to read, or {@link #STDIN_TASK}. */
    private final Deque<Object> pending = new ArrayDeque<>();
    private final Set<Path> visitedDirectories = new HashSet<>();
    private Mbox mbox;
    private Input lookahead;

    /**
     * Creates a walker.
     *
     * @param paths    the paths as given by the user, in order; {@code -} means stdin
     * @param stdin    the stream to read for {@code -}
     * @param maxBytes the largest message the consumer handles, such as the parser's
     *                 {@code Limits.maxInputBytes()}; at most one more byte is kept
     * @throws IllegalArgumentException if {@code maxBytes < 1}
     */
    public InputWalker(List<String> paths, InputStream stdin, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.keepBytes = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16);
        for (String p : paths) {
            pending.add(STDIN.equals(p) ? STDIN_TASK : new Explicit(p));
        }
    }

    /** A path typed by the user: read even when hidden or special (a FIFO, {@code /dev/stdin}). */
    private record Explicit(String path) {
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null) {
            lookahead = advance();
        }
        return lookahead != null;
    }

    @Override
    public Input next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Input r = lookahead;
        lookahead = null;
        return r;
    }

    /** Stops the walk and closes an mbox that is being read, if any. Stdin is never closed. */
    @Override
    public void close() {
        pending.clear();
        lookahead = null;
        if (mbox != null) {
            closeMbox();
        }
    }

    private Input advance() {
        while (true) {
            if (mbox != null) {
                Input m = mbox.next();
                if (m != null) {
                    return m;
                }
                closeMbox();
                continue;
            }
            Object task = pending.poll();
            if (task == null) {
                return null;
            }
            if (task == STDIN_TASK) {
                return openStream(STDIN, new BufferedInputStream(stdin, 1 << 16) {
                    @Override
                    public void close() {
                        // stdin stays open
                    }
                }, -1);
            }
            boolean explicit = task instanceof Explicit;
            Path path;
            String source;
            if (explicit) {
                source = ((Explicit) task).path();
                try {
                    path = Path.of(source);
                } catch (RuntimeException e) {
                    return new Failure(source, "invalid path: " + e.getMessage());
                }
            } else {
                path = (Path) task;
                source = path.toString();
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (IOException e) {
                if (!explicit && e instanceof NoSuchFileException) {
                    continue; // vanished since it was listed, or a broken link: nothing to read
                }
                return new Failure(source, reason(e));
            }
            if (attrs.isDirectory()) {
                Failure f = expand(path, source);
                if (f != null) {
                    return f;
                }
                continue;
            }
            if (!explicit && !attrs.isRegularFile()) {
                continue;
            }
            InputStream in;
            try {
                in = Files.newInputStream(path);
            } catch (IOException e) {
                return new Failure(source, reason(e));
            }
            return openStream(source, in, attrs.isRegularFile() ? attrs.size() : -1);
        }
    }

    /** Queues a directory's entries, sorted, ahead of the rest; returns a failure when it cannot be listed. */
    private Failure expand(Path dir, String source) {
        try {
            if (!visitedDirectories.add(dir.toRealPath())) {
                return null;
            }
        } catch (IOException e) {
            return new Failure(source, reason(e));
        }
        boolean maildir = Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path child : entries) {
                Path name = child.getFileName();
                String n = name == null ? "" : name.toString();
                if (n.isEmpty() || n.charAt(0) == '.' || (maildir && n.equals("tmp"))) {
                    continue;
                }
                children.add(child);
            }
        } catch (IOException | RuntimeException e) {
            return new Failure(source, reason(e));
        }
        // sorted by name, each name made once (not twice per comparison)
        List<Map.Entry<String, Path>> named = new ArrayList<>(children.size());
        for (Path child : children) {
            named.add(Map.entry(child.getFileName().toString(), child));
        }
        named.sort(Map.Entry.comparingByKey());
        for (int i = named.size() - 1; i >= 0; i--) {
            pending.addFirst(named.get(i).getValue());
        }
        return null;
    }

    /** Reads a single message, or starts an mbox and returns its first message (possibly empty). */
    private Input openStream(String source, InputStream in, long sizeHint) {
        boolean keepOpen = false;
        try {
            byte[] head = in.readNBytes(FROM.length);
            if (head.length == FROM.length && Arrays.equals(head, FROM)) {
                mbox = new Mbox(source, in, keepBytes);
                keepOpen = true;
                return mbox.next();
            }
            return readWhole(source, in, head, sizeHint);
        } catch (IOException | RuntimeException e) {
            return new Failure(source, reason(e));
        } finally {
            if (!keepOpen) {
                closeQuietly(in);
            }
        }
    }

    private Message readWhole(String source, InputStream in, byte[] head, long sizeHint) throws IOException {
        int initial = sizeHint >= 0 ? (int) Math.min(sizeHint + 1, keepBytes) : Math.min(1 << 16, keepBytes);
        byte[] buf = new byte[Math.max(initial, head.length)];
        System.arraycopy(head, 0, buf, 0, head.length);
        int n = head.length;
        while (n < keepBytes) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, keepBytes));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return new Message(source, buf, n);
    }

    private void closeMbox() {
        Mbox m = mbox;
        mbox = null;
        closeQuietly(m);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing was written; a failing close of an input loses nothing
        }
    }

    /** A short reason for an I/O failure, without the path (the caller prints the path). */
    static String reason(Throwable e) {
        if (e instanceof DirectoryIteratorException && e.getCause() != null) {
            return reason(e.getCause());
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Splits an mbox stream (after its first {@code "From "}) into messages. */
    private static final class Mbox implements Closeable {
        private final String source;
        private final LineReader lines;
        private final int keepBytes;
        private final ByteBuf line;
        private int count;
        private boolean done;

        Mbox(String source, InputStream in, int keepBytes) throws IOException {
            this.source = source;
            this.lines = new LineReader(in);
            this.keepBytes = keepBytes;
            this.line = new ByteBuf(keepBytes);
            lines.readLine(line); // the rest of the first separator line
        }

        /** The next message, a failure, or null after the last one. */
        Input next() {
            if (done) {
                return null;
            }
            count++;
            String name = source + "#" + count;
            ByteBuf msg = new ByteBuf(keepBytes);
            byte[] blank = null; // the empty line seen last, held back: it may precede a separator
            try {
                while (true) {
                    if (!lines.readLine(line)) {
                        done = true;
                        break;
                    }
                    int len = line.length();
                    byte[] b = line.array();
                    int content = contentLength(b, len);
                    if (content == 0) {
                        if (blank != null) {
                            msg.append(blank, 0, blank.length);
                        }
                        blank = Arrays.copyOf(b, len);
                        continue;
                    }
                    if (blank != null && startsWithFrom(b, 0, content)) {
                        return new Message(name, msg.array(), msg.length());
                    }
                    if (blank != null) {
                        msg.append(blank, 0, blank.length);
                        blank = null;
                    }
                    int quotes = 0;
                    while (quotes < content && b[quotes] == '>') {
                        quotes++;
                    }
                    int skip = quotes > 0 && startsWithFrom(b, quotes, content) ? 1 : 0;
                    msg.append(b, skip, len - skip);
                }
            } catch (IOException e) {
                done = true;
                return new Failure(name, reason(e));
            }
            return new Message(name, msg.array(), msg.length());
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }

        private static int contentLength(byte[] b, int len) {
            int n = len;
            if (n > 0 && b[n - 1] == '\n') {
                n--;
            }
            if (n > 0 && b[n - 1] == '\r') {
                n--;
            }
            return n;
        }

        private static boolean startsWithFrom(byte[] b, int at, int end) {
            if (end - at < FROM.length) {
                return false;
            }
            for (int i = 0; i < FROM.length; i++) {
                if (b[at + i] != FROM[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Reads lines ending in LF, CRLF or a lone CR, terminator included. */
    private static final class LineReader implements Closeable {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int lim;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        /**
         * Reads the next line into {@code out} (cleared first; bytes past its capacity are dropped).
         *
         * @return false at the end of the input, when no byte was read
         */
        boolean readLine(ByteBuf out) throws IOException {
            out.clear();
            boolean any = false;
            while (true) {
                if (pos == lim && !fill()) {
                    return any;
                }
                any = true;
                int start = pos;
                while (pos < lim) {
                    byte c = buf[pos++];
                    if (c == '\n') {
                        out.append(buf, start, pos - start);
                        return true;
                    }
                    if (c == '\r') {
                        out.append(buf, start, pos - start);
                        if (pos == lim && !fill()) {
                            return true;
                        }
                        if (buf[pos] == '\n') {
                            pos++;
                            out.append(buf, pos - 1, 1);
                        }
                        return true;
                    }
                }
                out.append(buf, start, pos - start);
            }
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int r;
            do {
                r = in.read(buf, 0, buf.length);
            } while (r == 0);
            if (r < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            lim = r;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A growable byte array that keeps at most {@code cap} bytes and drops the rest. */
    private static final class ByteBuf {
        private final int cap;
        private byte[] data = new byte[256];
        private int length;

        ByteBuf(int cap) {
            this.cap = cap;
        }

        void append(byte[] b, int off, int len) {
            int n = Math.min(len, cap - length);
            if (n <= 0) {
                return;
            }
            if (length + n > data.length) {
                long grown = Math.max((long) data.length * 2, (long) length + n);
                data = Arrays.copyOf(data, (int) Math.min(grown, cap));
            }
            System.arraycopy(b, off, data, length, n);
            length += n;
        }

        void clear() {
            length = 0;
        }

        byte[] array() {
            return data;
        }

        int length() {
            return length;
        }
    }
}
