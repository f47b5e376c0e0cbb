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

    /**
     * The most entries the automaton's table may have (states × character classes, 4 bytes each): 16 MB. Without
     * it, 25,000 phrases of 190 characters asked for a table of hundreds of megabytes, and enough distinct
     * characters overflowed its size. The built-in rules use about 430,000.
     */
    static final int MAX_ENTRIES = 4_000_000;

    /** Phrase ids ending at each state, including those reached through failure links. */
    private final int[][] outputs;
    /**
     * The automaton as a table: for each state and character class, the next state with failure links already
     * followed, so a search does one array read per character (once built, each entry holds the next state's
     * row offset, doubled, plus one when phrases end at that state). Character classes number the characters the
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
        List<Boolean> afterSpace = new ArrayList<>(); // whether a state's label ends with a space
        afterSpace.add(false);
        for (int id = 0; id < phrases.size(); id++) {
            String p = phrases.get(id).strip().replaceAll("\\s+", " ");
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
                    afterSpace.add(c == ' ');
                }
                s = to;
                if (c < 128 ? asciiClass[c] == 0 : !otherClass.containsKey(c)) {
                    if (c < 128) {
                        asciiClass[c] = next++;
                    } else {
                        otherClass.put(c, next++);
                    }
                }
                // checked as the trie grows, before its table (or the trie itself) can outgrow the heap
                if ((long) children.size() * next > MAX_ENTRIES) {
                    throw new IllegalArgumentException("the rules' phrases need a matcher of more than "
                            + MAX_ENTRIES + " entries (" + children.size() + " states × " + next
                            + " character classes; limit MAX_ENTRIES), passed at phrase \"" + p + "\"");
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
        // white space: tabs and line breaks read as a space, and a space after a space changes nothing (a state
        // whose label ends with a space stays put), so a run of white space matches one space in a phrase
        int space = asciiClass[' '];
        asciiClass['\t'] = space;
        asciiClass['\n'] = space;
        asciiClass['\r'] = space;
        if (space != 0) {
            for (int st = 0; st < states; st++) {
                if (afterSpace.get(st)) {
                    delta[st * classes + space] = st;
                }
            }
        }
        this.outputs = new int[states][];
        for (int i = 0; i < states; i++) {
            outputs[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        // entries become the target's row offset, doubled, plus one when phrases end there: a search then does
        // no multiplication and reads the outputs only where a phrase ends
        for (int i = 0; i < delta.length; i++) {
            int t = delta[i];
            delta[i] = (t * classes) << 1 | (outputs[t].length > 0 ? 1 : 0);
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
     * Reports every phrase occurring in {@code text}, ignoring case (phrases are lower case) and reading each run of
     * spaces, tabs and line breaks as one space.
     *
     * @param text the text
     * @param sink receives phrase ids
     */
    void search(String text, Sink sink) {
        int row = 0;
        int[] d = delta;
        int[] ascii = asciiClass;
        int n = classes;
        for (int i = 0, len = text.length(); i < len; i++) {
            char c = text.charAt(i);
            int next = d[row + (c < 128 ? ascii[c] : otherClass.getOrDefault(Character.toLowerCase(c), 0))];
            row = next >>> 1;
            if ((next & 1) != 0) {
                for (int id : outputs[row / n]) {
                    sink.found(id, i + 1);
                }
            }
        }
    }
}
