package org.bouncekit.classifier.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A regular expression that runs in time linear in the text: the pattern is compiled to a small program that a
 * Pike virtual machine runs over the text once, keeping at most one thread per instruction, so no input can make
 * it backtrack. Rule files come from users and are untrusted input; {@code java.util.regex} backtracks and can
 * take exponential time on a pattern such as {@code (a+)+$}.
 *
 * <p>Syntax: literals; {@code .}; classes {@code [a-z0-9_]}, {@code [^...]}; escapes {@code \d \w \s \D \W \S}
 * and {@code \.} for any punctuation; groups {@code (...)} and {@code (?:...)}; alternation {@code |};
 * quantifiers {@code * + ?} and {@code {n} {n,} {n,m}} (lazy forms are accepted and mean the same here); anchors
 * {@code ^ $} (text start and end) and word boundaries {@code \b \B}. No back-references or look-around: they
 * cannot run in linear time. Letters match in any case. A program has at most {@value #MAX_PROGRAM}
 * instructions.
 *
 * <p>Immutable and thread-safe.
 */
public final class LinearRegex {

    /** The largest program a pattern may compile to (bounds the work per character). */
    public static final int MAX_PROGRAM = 20_000;

    private static final int CHAR = 0;
    private static final int ANY = 1;
    private static final int CLASS = 2;
    private static final int SPLIT = 3;
    private static final int JMP = 4;
    private static final int MATCH = 5;
    private static final int BOL = 6;
    private static final int EOL = 7;
    private static final int WORD_BOUNDARY = 8;
    private static final int NOT_WORD_BOUNDARY = 9;

    private final String pattern;
    private final int[] op;
    private final int[] arg1;
    private final int[] arg2;
    private final char[][] ranges;
    private final boolean[] negated;
    /** The character every match starts with (lower case), or -1: while no thread runs, the search skips to it. */
    private final int firstChar;
    /** Whether every match starts at the text's start ({@code ^...}): the search ends when no thread runs. */
    private final boolean anchored;

    /**
     * Where a pattern matched.
     *
     * @param start the index of the first character
     * @param end   the index after the last
     */
    public record Span(int start, int end) {
    }

    private LinearRegex(String pattern, Program p) {
        this.pattern = pattern;
        int n = p.size;
        this.op = Arrays.copyOf(p.ops, n);
        this.arg1 = Arrays.copyOf(p.a1, n);
        this.arg2 = Arrays.copyOf(p.a2, n);
        this.ranges = Arrays.copyOf(p.classes, n);
        this.negated = Arrays.copyOf(p.negs, n);
        this.firstChar = op[0] == CHAR ? arg1[0] : -1;
        this.anchored = op[0] == BOL;
    }

    /**
     * @param pattern the pattern
     * @return the compiled pattern
     * @throws PatternException when the pattern is not valid, with the offset of the error
     */
    public static LinearRegex compile(String pattern) {
        return compile(pattern, MAX_PROGRAM);
    }

    /**
     * Compiles within a budget of instructions: a rule file's regexes share one, so that compiling a file's regexes
     * does work bounded by the budget, however many regexes it holds. The pattern is parsed whole first, so that a
     * syntax error is reported as such even when the budget is spent.
     *
     * @param pattern         the pattern
     * @param maxInstructions the budget, at most {@link #MAX_PROGRAM}
     * @return the compiled pattern
     * @throws PatternException when the pattern is not valid, with the offset of the error, or does not fit the
     *                          budget ({@link PatternException#isSizeLimit()})
     */
    public static LinearRegex compile(String pattern, int maxInstructions) {
        Parser parser = new Parser(pattern);
        Node node = parser.parseAll();
        Program p = new Program(Math.max(0, Math.min(maxInstructions, MAX_PROGRAM)));
        node.emit(p);
        p.add(MATCH, 0, 0, null, false);
        return new LinearRegex(pattern, p);
    }

    /** @return the pattern as written */
    public String pattern() {
        return pattern;
    }

    /** @return the number of instructions */
    public int size() {
        return op.length;
    }

    /**
     * Finds the leftmost match.
     *
     * @param text the text
     * @return the span, or null when the pattern does not occur
     */
    public Span find(CharSequence text) {
        return find(text, null);
    }

    /**
     * Finds the leftmost match and counts the work done: the number of instructions executed, which is at most
     * {@code (text.length() + 1) * 3 * size()}.
     *
     * @param text  the text
     * @param steps receives the step count in element 0, may be null
     * @return the span, or null when the pattern does not occur
     */
    public Span find(CharSequence text, long[] steps) {
        return find(text, steps, false);
    }

    /**
     * {@link #find(CharSequence, long[])} in the start of a longer text that was cut: its end is then no end of
     * text, so {@code $} does not match there, nor {@code \b} or {@code \B} (the next character is unknown).
     *
     * @param text  the text, or its start
     * @param steps receives the step count in element 0, may be null
     * @param cut   whether {@code text} was cut from a longer text
     * @return the span, or null when the pattern does not occur
     */
    public Span find(CharSequence text, long[] steps, boolean cut) {
        int n = text.length();
        int size = op.length;
        int[] cpc = new int[size];
        int[] cstart = new int[size];
        int[] npc = new int[size];
        int[] nstart = new int[size];
        int[] mark = new int[size];
        int[] stack = new int[size * 2 + 2];
        int generation = 1;
        int ccount = 0;
        long work = 0;
        int matchStart = -1;
        int matchEnd = -1;
        for (int pos = 0; pos <= n; pos++) {
            if (ccount == 0 && matchStart < 0) {
                if (anchored && pos > 0) {
                    break; // a match could only have started at 0
                }
                if (firstChar >= 0) {
                    // nothing running: jump to where a match can start (each character still counted)
                    int from = pos;
                    while (pos < n && Character.toLowerCase(text.charAt(pos)) != firstChar) {
                        pos++;
                    }
                    work += pos - from;
                }
            }
            if (matchStart < 0) {
                // a new thread starting here, after (lower priority than) the ones already running
                ccount = addThread(cpc, cstart, ccount, mark, generation, stack, 0, pos, text, pos, cut);
                work += size;
            }
            generation++;
            int ncount = 0;
            char c = pos < n ? Character.toLowerCase(text.charAt(pos)) : 0;
            for (int t = 0; t < ccount; t++) {
                int pc = cpc[t];
                work++;
                switch (op[pc]) {
                    case MATCH:
                        matchStart = cstart[t];
                        matchEnd = pos;
                        t = ccount; // lower-priority threads are cut
                        break;
                    case CHAR:
                        if (pos < n && c == arg1[pc]) {
                            ncount = addThread(npc, nstart, ncount, mark, generation, stack, pc + 1, cstart[t],
                                    text, pos + 1, cut);
                        }
                        break;
                    case ANY:
                        if (pos < n) {
                            ncount = addThread(npc, nstart, ncount, mark, generation, stack, pc + 1, cstart[t],
                                    text, pos + 1, cut);
                        }
                        break;
                    case CLASS:
                        if (pos < n && inClass(pc, c)) {
                            ncount = addThread(npc, nstart, ncount, mark, generation, stack, pc + 1, cstart[t],
                                    text, pos + 1, cut);
                        }
                        break;
                    default:
                        break;
                }
            }
            work += ncount;
            int[] swap = cpc;
            cpc = npc;
            npc = swap;
            swap = cstart;
            cstart = nstart;
            nstart = swap;
            ccount = ncount;
            if (ccount == 0 && matchStart >= 0) {
                break;
            }
        }
        if (steps != null) {
            steps[0] = work;
        }
        return matchStart < 0 ? null : new Span(matchStart, matchEnd);
    }

    /**
     * @param text the text
     * @return whether the pattern occurs in it
     */
    public boolean matches(CharSequence text) {
        return find(text, null) != null;
    }

    /** Follows jumps, splits and assertions from {@code pc}, adding each thread once per generation. */
    private int addThread(int[] pcs, int[] starts, int count, int[] mark, int generation, int[] stack, int pc0,
                          int start, CharSequence text, int pos, boolean cut) {
        int sp = 0;
        stack[sp++] = pc0;
        while (sp > 0) {
            int pc = stack[--sp];
            if (mark[pc] == generation) {
                continue;
            }
            mark[pc] = generation;
            switch (op[pc]) {
                case JMP:
                    stack[sp++] = arg1[pc];
                    break;
                case SPLIT:
                    // the second branch is pushed first so that the first is followed first (it has priority)
                    stack[sp++] = arg2[pc];
                    stack[sp++] = arg1[pc];
                    break;
                case BOL:
                    if (pos == 0) {
                        stack[sp++] = pc + 1;
                    }
                    break;
                case EOL:
                    if (pos == text.length() && !cut) {
                        stack[sp++] = pc + 1;
                    }
                    break;
                case WORD_BOUNDARY:
                case NOT_WORD_BOUNDARY:
                    if (cut && pos == text.length()) {
                        break;
                    }
                    boolean before = pos > 0 && isWord(text.charAt(pos - 1));
                    boolean after = pos < text.length() && isWord(text.charAt(pos));
                    if ((before != after) == (op[pc] == WORD_BOUNDARY)) {
                        stack[sp++] = pc + 1;
                    }
                    break;
                default:
                    pcs[count] = pc;
                    starts[count] = start;
                    count++;
                    break;
            }
        }
        return count;
    }

    private boolean inClass(int pc, char c) {
        char[] r = ranges[pc];
        boolean in = false;
        char u = Character.toUpperCase(c);
        for (int i = 0; i < r.length && !in; i += 2) {
            in = c >= r[i] && c <= r[i + 1] || u >= r[i] && u <= r[i + 1];
        }
        return in != negated[pc];
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** A pattern that is not valid. */
    public static final class PatternException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int offset;
        private final String reason;
        private final boolean sizeLimit;

        PatternException(String message, int offset) {
            this(message, offset, false);
        }

        PatternException(String message, int offset, boolean sizeLimit) {
            super(message + " at offset " + offset);
            this.offset = offset;
            this.reason = message;
            this.sizeLimit = sizeLimit;
        }

        /** @return whether the pattern is valid but compiles to more instructions than allowed */
        public boolean isSizeLimit() {
            return sizeLimit;
        }

        /** @return what is wrong, without the offset */
        public String reason() {
            return reason;
        }

        /** @return the offset in the pattern where the error is, from 0 */
        public int offset() {
            return offset;
        }
    }

    /** The instructions being emitted, in growing arrays (boxed lists took ten times the memory). */
    private static final class Program {
        final int limit;
        int[] ops = new int[16];
        int[] a1 = new int[16];
        int[] a2 = new int[16];
        char[][] classes = new char[16][];
        boolean[] negs = new boolean[16];
        int size;

        Program(int limit) {
            this.limit = limit;
        }

        int add(int o, int x, int y, char[] cls, boolean neg) {
            if (size >= limit) {
                throw new PatternException("pattern compiles to more than " + limit + " instructions", 0, true);
            }
            if (size == ops.length) {
                int n = size * 2;
                ops = Arrays.copyOf(ops, n);
                a1 = Arrays.copyOf(a1, n);
                a2 = Arrays.copyOf(a2, n);
                classes = Arrays.copyOf(classes, n);
                negs = Arrays.copyOf(negs, n);
            }
            ops[size] = o;
            a1[size] = x;
            a2[size] = y;
            classes[size] = cls;
            negs[size] = neg;
            return size++;
        }

        int pc() {
            return size;
        }

        void patch1(int at, int target) {
            a1[at] = target;
        }

        void patch2(int at, int target) {
            a2[at] = target;
        }
    }

    /** A node of the parsed pattern. */
    private interface Node {
        void emit(Program p);
    }

    private record Atom(int op, char c, char[] cls, boolean neg) implements Node {
        @Override
        public void emit(Program p) {
            p.add(op, c, 0, cls, neg);
        }
    }

    private record Concat(List<Node> parts) implements Node {
        @Override
        public void emit(Program p) {
            for (Node n : parts) {
                n.emit(p);
            }
        }
    }

    private record Alternation(List<Node> options) implements Node {
        @Override
        public void emit(Program p) {
            List<Integer> jumps = new ArrayList<>();
            for (int i = 0; i < options.size() - 1; i++) {
                int split = p.add(SPLIT, 0, 0, null, false);
                p.patch1(split, p.pc());
                options.get(i).emit(p);
                jumps.add(p.add(JMP, 0, 0, null, false));
                p.patch2(split, p.pc());
            }
            options.get(options.size() - 1).emit(p);
            for (int j : jumps) {
                p.patch1(j, p.pc());
            }
        }
    }

    /** {@code node{min,max}}; max -1 for no upper bound. */
    private record Repeat(Node node, int min, int max) implements Node {
        @Override
        public void emit(Program p) {
            int start = p.pc();
            for (int i = 0; i < min; i++) {
                node.emit(p);
                if (p.pc() == start) {
                    // an empty node ("()", "(?:)"): repeating it matches nothing more, and emits nothing, so that
                    // nested counts would loop a thousand to the power of the depth without reaching the limit
                    return;
                }
            }
            if (max < 0) {
                // x*: L1: split L2, L3; L2: x; jmp L1; L3:
                int split = p.add(SPLIT, 0, 0, null, false);
                p.patch1(split, p.pc());
                node.emit(p);
                p.add(JMP, split, 0, null, false);
                p.patch2(split, p.pc());
                return;
            }
            List<Integer> splits = new ArrayList<>();
            for (int i = min; i < max; i++) {
                int split = p.add(SPLIT, 0, 0, null, false);
                p.patch1(split, p.pc());
                splits.add(split);
                node.emit(p);
            }
            for (int s : splits) {
                p.patch2(s, p.pc());
            }
        }
    }

    /** A recursive-descent parser; nesting is limited so that parsing cannot overflow the stack. */
    private static final class Parser {
        private static final int MAX_DEPTH = 100;
        private static final int MAX_REPEAT = 1_000;
        private final String s;
        private int i;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Node parseAll() {
            Node n = alternation();
            if (i < s.length()) {
                throw new PatternException("unbalanced ')'", i);
            }
            return n;
        }

        private Node alternation() {
            if (++depth > MAX_DEPTH) {
                throw new PatternException("groups nested more than " + MAX_DEPTH + " deep", i);
            }
            List<Node> options = new ArrayList<>();
            options.add(concat());
            while (i < s.length() && s.charAt(i) == '|') {
                i++;
                options.add(concat());
            }
            depth--;
            return options.size() == 1 ? options.get(0) : new Alternation(options);
        }

        private Node concat() {
            List<Node> parts = new ArrayList<>();
            while (i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')') {
                Node atom = atom();
                parts.add(quantified(atom));
            }
            return new Concat(parts);
        }

        private Node quantified(Node atom) {
            if (i >= s.length()) {
                return atom;
            }
            char c = s.charAt(i);
            int min;
            int max;
            int at = i;
            if (c == '*') {
                min = 0;
                max = -1;
                i++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                i++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                i++;
            } else if (c == '{' && isCount(i)) {
                i++;
                min = number();
                max = min;
                if (s.charAt(i) == ',') {
                    i++;
                    max = s.charAt(i) == '}' ? -1 : number();
                }
                i++; // '}'
                if (max >= 0 && max < min) {
                    throw new PatternException("repeat count {" + min + "," + max + "} out of order", at);
                }
                if (min > MAX_REPEAT || max > MAX_REPEAT) {
                    throw new PatternException("repeat count over " + MAX_REPEAT, at);
                }
            } else {
                return atom;
            }
            if (atom instanceof Atom a && (a.op == BOL || a.op == EOL || a.op == WORD_BOUNDARY
                    || a.op == NOT_WORD_BOUNDARY)) {
                throw new PatternException("nothing to repeat", at);
            }
            if (i < s.length() && s.charAt(i) == '?') {
                i++; // lazy: the same set of texts matches
            }
            if (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '+' || s.charAt(i) == '?')) {
                throw new PatternException("nested quantifier", i);
            }
            return new Repeat(atom, min, max);
        }

        private boolean isCount(int at) {
            int k = at + 1;
            int digits = 0;
            while (k < s.length() && Character.isDigit(s.charAt(k))) {
                k++;
                digits++;
            }
            if (digits == 0 || k >= s.length()) {
                return false;
            }
            if (s.charAt(k) == ',') {
                k++;
                while (k < s.length() && Character.isDigit(s.charAt(k))) {
                    k++;
                }
            }
            return k < s.length() && s.charAt(k) == '}';
        }

        private int number() {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i - start > 6) {
                throw new PatternException("repeat count over " + MAX_REPEAT, start);
            }
            return Integer.parseInt(s.substring(start, i));
        }

        private Node atom() {
            char c = s.charAt(i);
            int at = i;
            switch (c) {
                case '(': {
                    i++;
                    if (s.startsWith("?:", i)) {
                        i += 2;
                    } else if (i < s.length() && s.charAt(i) == '?') {
                        throw new PatternException("look-around and group flags are not supported", at);
                    }
                    Node n = alternation();
                    if (i >= s.length() || s.charAt(i) != ')') {
                        throw new PatternException("missing ')'", at);
                    }
                    i++;
                    return n;
                }
                case '[':
                    return characterClass();
                case '.':
                    i++;
                    return new Atom(ANY, (char) 0, null, false);
                case '^':
                    i++;
                    return new Atom(BOL, (char) 0, null, false);
                case '$':
                    i++;
                    return new Atom(EOL, (char) 0, null, false);
                case '*':
                case '+':
                case '?':
                    throw new PatternException("nothing to repeat", at);
                case '\\':
                    return escape();
                default:
                    i++;
                    return new Atom(CHAR, Character.toLowerCase(c), null, false);
            }
        }

        private Node escape() {
            int at = i;
            i++;
            if (i >= s.length()) {
                throw new PatternException("pattern ends with '\\'", at);
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'b':
                    return new Atom(WORD_BOUNDARY, (char) 0, null, false);
                case 'B':
                    return new Atom(NOT_WORD_BOUNDARY, (char) 0, null, false);
                case 'd':
                case 'D':
                case 'w':
                case 'W':
                case 's':
                case 'S':
                    return new Atom(CLASS, (char) 0, shorthand(Character.toLowerCase(e)), Character.isUpperCase(e));
                case 'n':
                    return new Atom(CHAR, '\n', null, false);
                case 't':
                    return new Atom(CHAR, '\t', null, false);
                default:
                    if (Character.isLetterOrDigit(e)) {
                        throw new PatternException("unknown escape '\\" + e + "'", at);
                    }
                    return new Atom(CHAR, e, null, false);
            }
        }

        private static char[] shorthand(char e) {
            switch (e) {
                case 'd':
                    return new char[] {'0', '9'};
                case 'w':
                    return new char[] {'a', 'z', 'A', 'Z', '0', '9', '_', '_'};
                default:
                    return new char[] {' ', ' ', '\t', '\r', '\u000b', '\u000c'};
            }
        }

        private Node characterClass() {
            int at = i;
            i++;
            boolean neg = i < s.length() && s.charAt(i) == '^';
            if (neg) {
                i++;
            }
            StringBuilder r = new StringBuilder();
            boolean first = true;
            while (true) {
                if (i >= s.length()) {
                    throw new PatternException("missing ']'", at);
                }
                char c = s.charAt(i);
                if (c == ']' && !first) {
                    i++;
                    break;
                }
                first = false;
                char lo;
                if (c == '\\') {
                    if (i + 1 >= s.length()) {
                        throw new PatternException("missing ']'", at);
                    }
                    char e = s.charAt(i + 1);
                    i += 2;
                    if ("dwsDWS".indexOf(e) >= 0) {
                        if (Character.isUpperCase(e)) {
                            throw new PatternException("negated shorthand inside a class", i - 2);
                        }
                        r.append(shorthand(e));
                        continue;
                    }
                    lo = e == 'n' ? '\n' : e == 't' ? '\t' : e;
                } else {
                    lo = c;
                    i++;
                }
                char hi = lo;
                if (i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
                    hi = s.charAt(i + 1);
                    i += 2;
                    if (hi == '\\' && i < s.length()) {
                        hi = s.charAt(i++);
                    }
                    if (hi < lo) {
                        throw new PatternException("range out of order", at);
                    }
                }
                r.append(lo).append(hi);
            }
            char[] ranges = r.toString().toCharArray();
            return new Atom(CLASS, (char) 0, ranges, neg);
        }
    }
}
