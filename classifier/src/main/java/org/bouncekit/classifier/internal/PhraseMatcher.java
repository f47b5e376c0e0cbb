package org.bouncekit.classifier.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho-Corasick matching of many lower-case phrases in one pass over a text: the cost of a search depends on the
 * text's length and the matches found, not on the number of phrases. Immutable after construction; thread-safe.
 */
final class PhraseMatcher {

    /** Transitions as an open-addressing table from (state, char) to the next state. */
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private final int[] fail;
    /** Phrase ids ending at each state, including those reached through failure links. */
    private final int[][] outputs;
    /**
     * The automaton as a table: for each state and character class, the next state with failure links already
     * followed, so a search does one array read per character. Character classes number the characters the
     * phrases use (class 0 is every other character).
     */
    private final int[] delta;
    private final int classes;
    private final int[] asciiClass = new int[128];
    private final Map<Character, Integer> otherClass = new HashMap<>();

    PhraseMatcher(List<String> phrases) {
        List<Long> edgeKeys = new ArrayList<>();
        List<Integer> edgeValues = new ArrayList<>();
        Map<Long, Integer> edges = new HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        int states = 1;
        for (int id = 0; id < phrases.size(); id++) {
            String p = phrases.get(id);
            int s = 0;
            for (int k = 0; k < p.length(); k++) {
                long key = key(s, p.charAt(k));
                Integer next = edges.get(key);
                if (next == null) {
                    next = states++;
                    edges.put(key, next);
                    out.add(new ArrayList<>());
                }
                s = next;
            }
            out.get(s).add(id);
        }
        edgeKeys.addAll(edges.keySet());
        for (Long k : edgeKeys) {
            edgeValues.add(edges.get(k));
        }
        int capacity = Integer.highestOneBit(Math.max(16, edges.size() * 2 - 1)) << 1;
        this.keys = new long[capacity];
        this.values = new int[capacity];
        Arrays.fill(keys, -1L);
        this.mask = capacity - 1;
        for (int i = 0; i < edgeKeys.size(); i++) {
            put(edgeKeys.get(i), edgeValues.get(i));
        }
        // failure links, breadth first
        this.fail = new int[states];
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        List<List<long[]>> byState = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            byState.add(new ArrayList<>());
        }
        for (int i = 0; i < edgeKeys.size(); i++) {
            long k = edgeKeys.get(i);
            byState.get((int) (k >>> 16)).add(new long[] {k & 0xFFFF, edgeValues.get(i)});
        }
        for (long[] e : byState.get(0)) {
            queue[tail++] = (int) e[1];
        }
        while (head < tail) {
            int s = queue[head++];
            for (long[] e : byState.get(s)) {
                char c = (char) e[0];
                int t = (int) e[1];
                int f = fail[s];
                while (f != 0 && get(f, c) < 0) {
                    f = fail[f];
                }
                int via = get(f, c);
                fail[t] = via >= 0 && via != t ? via : 0;
                out.get(t).addAll(out.get(fail[t]));
                queue[tail++] = t;
            }
        }
        // character classes, then the table, state by state in breadth-first order (a state's failure state
        // comes before it, so its row is complete when copied)
        int next = 1;
        for (String p : phrases) {
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < 128 ? asciiClass[c] == 0 : !otherClass.containsKey(c)) {
                    if (c < 128) {
                        asciiClass[c] = next++;
                    } else {
                        otherClass.put(c, next++);
                    }
                }
            }
        }
        this.classes = next;
        char[] byClass = new char[classes];
        for (char c = 0; c < 128; c++) {
            if (asciiClass[c] != 0) {
                byClass[asciiClass[c]] = c;
            }
        }
        otherClass.forEach((c, k) -> byClass[k] = c);
        // upper-case ASCII reads as lower case: texts need not be lower-cased first
        for (char c = 'A'; c <= 'Z'; c++) {
            asciiClass[c] = asciiClass[c + 32];
        }
        this.delta = new int[states * classes];
        int[] order = new int[states];
        order[0] = 0;
        System.arraycopy(queue, 0, order, 1, states - 1);
        for (int i = 0; i < states; i++) {
            int st = order[i];
            for (int k = 1; k < classes; k++) {
                int to = get(st, byClass[k]);
                delta[st * classes + k] = to >= 0 ? to : st == 0 ? 0 : delta[fail[st] * classes + k];
            }
        }
        this.outputs = new int[states][];
        for (int i = 0; i < states; i++) {
            List<Integer> o = out.get(i);
            int[] arr = new int[o.size()];
            for (int k = 0; k < arr.length; k++) {
                arr[k] = o.get(k);
            }
            outputs[i] = arr;
        }
    }

    private static long key(int state, char c) {
        return ((long) state << 16) | c;
    }

    private void put(long key, int value) {
        int i = (int) (mix(key) & mask);
        while (keys[i] != -1L) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private int get(int state, char c) {
        long key = key(state, c);
        int i = (int) (mix(key) & mask);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == -1L) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private static long mix(long k) {
        k *= 0x9E3779B97F4A7C15L;
        return k ^ (k >>> 29);
    }

    /** Receives each phrase found, with the index just after it. */
    interface Sink {
        void found(int phrase, int end);
    }

    /**
     * Reports every phrase occurring in {@code text}, ignoring case (phrases are lower case).
     *
     * @param text the text
     * @param sink receives phrase ids
     */
    void search(CharSequence text, Sink sink) {
        int s = 0;
        int[] d = delta;
        int n = classes;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int k = c < 128 ? asciiClass[c] : otherClass.getOrDefault(Character.toLowerCase(c), 0);
            s = d[s * n + k];
            int[] o = outputs[s];
            for (int id : o) {
                sink.found(id, i + 1);
            }
        }
    }
}
