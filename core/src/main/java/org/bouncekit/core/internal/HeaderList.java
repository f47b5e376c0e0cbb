package org.bouncekit.core.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.bouncekit.core.Header;

/**
 * An immutable list of header fields that decodes each value only when it is read. It keeps a copy of the header
 * block's bytes (never the whole message), so a report stays small and most fields, which nobody reads, cost no
 * decoding.
 *
 * <p>Thread-safe: it never changes what it holds; a value decoded by two threads at once is decoded twice to equal
 * results, and {@link Header} is immutable with final fields, so a racy cache entry is safely published.
 */
public final class HeaderList extends AbstractList<Header> implements RandomAccess {

    private final byte[] bytes;
    private final String[] names;
    private final int[] starts;
    private final int[] ends;
    private final Header[] cache;

    private HeaderList(byte[] bytes, String[] names, int[] starts, int[] ends, Header[] cache) {
        this.bytes = bytes;
        this.names = names;
        this.starts = starts;
        this.ends = ends;
        this.cache = cache;
    }

    /**
     * Makes the list for fields read from one buffer.
     *
     * @param raw fields in buffer order
     * @return an immutable list
     */
    public static List<Header> of(List<RawHeader> raw) {
        int n = raw.size();
        if (n == 0) {
            return List.of();
        }
        int from = raw.get(0).offset;
        int to = raw.get(n - 1).valueEnd;
        byte[] bytes = Arrays.copyOfRange(raw.get(0).buffer(), from, to);
        String[] names = new String[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        Header[] cache = new Header[n];
        for (int i = 0; i < n; i++) {
            RawHeader h = raw.get(i);
            names[i] = h.name;
            starts[i] = h.valueStart - from;
            ends[i] = h.valueEnd - from;
            String decoded = h.decodedOrNull();
            if (decoded != null) {
                cache[i] = new Header(h.name, decoded);
            }
        }
        return new HeaderList(bytes, names, starts, ends, cache);
    }

    /**
     * Copies a list for a report: a {@code HeaderList} is already immutable and is kept as it is.
     *
     * @param headers any list of fields
     * @return an immutable list with the same fields
     */
    public static List<Header> copyOf(List<Header> headers) {
        return headers instanceof HeaderList ? headers : List.copyOf(headers);
    }

    @Override
    public Header get(int index) {
        Header h = cache[index];
        if (h == null) {
            h = new Header(names[index], HeaderText.value(bytes, starts[index], ends[index]));
            cache[index] = h;
        }
        return h;
    }

    @Override
    public int size() {
        return names.length;
    }
}
