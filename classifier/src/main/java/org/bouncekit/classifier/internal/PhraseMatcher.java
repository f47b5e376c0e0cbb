package org.bouncekit.classifier.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho-Corasick matching of many lower-case phrases in one pass over a text: the cost of a search depends on the
 * text's length and the matches found, not on the number of phrases. Immutable after construction; thread-safe.
 */
final class PhraseMatcher {

    /** Phrase ids ending at each state, including those reached through failure links. */
    private final int[][] outputs;
    /**
     * The automaton as a table: for each state and character class, the next state with failure links already
     * followed, so a search does one array read per character. Character classes number the characters the
     * phrases use (class 0 is every other character); upper-case ASCII shares its lower-case class.
     */
    private final int[] delta;
    private final int classes;
    private final int[] asciiClass = new int[128];
    private final Map<Character, Integer> otherClass = new HashMap<>();

    PhraseMatcher(List<String> phrases) {
        // the trie: (state, char) -> state, and the phrases ending at each state
        Map<Long, Integer> edges = new HashMap<>();
        List<List<long[]>> children = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        children.add(new ArrayList<>());
        out.add(new ArrayList<>());
        int next = 1;
        for (int id = 0; id < phrases.size(); id++) {
            String p = phrases.get(id);
            int s = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                Integer to = edges.get(key(s, c));
                if (to == null) {
                    to = children.size();
                    edges.put(key(s, c), to);
                    children.get(s).add(new long[] {c, to});
                    children.add(new ArrayList<>());
                    out.add(new ArrayList<>());
                }
                s = to;
                if (c < 128 ? asciiClass[c] == 0 : !otherClass.containsKey(c)) {
                    if (c < 128) {
                        asciiClass[c] = next++;
                    } else {
                        otherClass.put(c, next++);
                    }
                }
            }
            out.get(s).add(id);
        }
        int states = children.size();
        this.classes = next;
        // failure links, breadth first; the table row of a state is its transitions over its failure state's row,
        // which breadth-first order has already filled
        this.delta = new int[states * classes];
        int[] fail = new int[states];
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        for (long[] e : children.get(0)) {
            int t = (int) e[1];
            delta[classOf((char) e[0])] = t;
            queue[tail++] = t;
        }
        while (head < tail) {
            int s = queue[head++];
            System.arraycopy(delta, fail[s] * classes, delta, s * classes, classes);
            for (long[] e : children.get(s)) {
                int k = classOf((char) e[0]);
                int t = (int) e[1];
                fail[t] = delta[fail[s] * classes + k];
                out.get(t).addAll(out.get(fail[t]));
                delta[s * classes + k] = t;
                queue[tail++] = t;
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            asciiClass[c] = asciiClass[c + 32];
        }
        this.outputs = new int[states][];
        for (int i = 0; i < states; i++) {
            outputs[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static long key(int state, char c) {
        return ((long) state << 16) | c;
    }

    private int classOf(char c) {
        return c < 128 ? asciiClass[c] : otherClass.getOrDefault(c, 0);
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
