package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.api.decoder.ByteConstraint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton over bytes compiled from a regular expression: Thompson's construction
 * over UTF-8 byte ranges, then the subset construction. States from which no accepting state can be
 * reached are removed, so a prefix is {@link ByteConstraint#REJECT}ed as soon as it cannot be
 * completed; {@link #bytesToAccept} tells how many bytes the shortest completion needs, which lets a
 * decoder stop in time to finish its output.
 */
public final class ByteAutomaton implements ByteConstraint {
    private static final int MAX_STATES = 200_000;

    private final String source;
    private final int[] transitions; // state * 256 + byte -> state or REJECT
    private final boolean[] accepting;
    private final int[] bytesToAccept;

    private ByteAutomaton(String source, int[] transitions, boolean[] accepting, int[] bytesToAccept) {
        this.source = source;
        this.transitions = transitions;
        this.accepting = accepting;
        this.bytesToAccept = bytesToAccept;
    }

    /** Compiles a regular expression (see {@link RegexParser} for the syntax) that the whole output must match. */
    public static ByteAutomaton compile(String regex) {
        Nfa nfa = new Nfa();
        int[] fragment = nfa.compile(RegexParser.parse(regex));
        nfa.finalState = fragment[1];
        return determinize(regex, nfa, fragment[0], fragment[1]);
    }

    @Override
    public int start() {
        return bytesToAccept.length > 0 && bytesToAccept[0] >= 0 ? 0 : REJECT;
    }

    @Override
    public int next(int state, int b) {
        return state < 0 ? REJECT : transitions[state * 256 + b];
    }

    @Override
    public boolean accepting(int state) {
        return state >= 0 && accepting[state];
    }

    /** Bytes the shortest accepted completion from {@code state} needs (0 in an accepting state). */
    public int bytesToAccept(int state) {
        return state < 0 ? Integer.MAX_VALUE : bytesToAccept[state];
    }

    public int states() {
        return accepting.length;
    }

    @Override
    public String toString() {
        return "ByteAutomaton[" + accepting.length + " states: " + source + "]";
    }

    /** A nondeterministic automaton with epsilon moves, built fragment by fragment. */
    private static final class Nfa {
        final List<int[]> epsilon = new ArrayList<>();   // per state: targets
        final List<int[]> edges = new ArrayList<>();     // per state: {lo, hi, target}*
        int finalState = -1;

        int newState() {
            epsilon.add(new int[0]);
            edges.add(new int[0]);
            return epsilon.size() - 1;
        }

        void addEpsilon(int from, int to) {
            int[] e = epsilon.get(from);
            int[] n = Arrays.copyOf(e, e.length + 1);
            n[e.length] = to;
            epsilon.set(from, n);
        }

        void addEdge(int from, int lo, int hi, int to) {
            int[] e = edges.get(from);
            int[] n = Arrays.copyOf(e, e.length + 3);
            n[e.length] = lo;
            n[e.length + 1] = hi;
            n[e.length + 2] = to;
            edges.set(from, n);
        }

        /** {start, end} of the fragment for the node. */
        int[] compile(RegexParser.Node node) {
            int start = newState();
            int end = newState();
            if (node instanceof RegexParser.CharSet set) {
                int[] r = set.ranges();
                for (int i = 0; i < r.length; i += 2) {
                    for (int[] seq : Utf8Ranges.of(r[i], r[i + 1])) {
                        int at = start;
                        for (int k = 0; k < seq.length; k += 2) {
                            int to = k + 2 == seq.length ? end : newState();
                            addEdge(at, seq[k], seq[k + 1], to);
                            at = to;
                        }
                    }
                }
            } else if (node instanceof RegexParser.Concat concat) {
                int at = start;
                for (RegexParser.Node part : concat.parts()) {
                    int[] f = compile(part);
                    addEpsilon(at, f[0]);
                    at = f[1];
                }
                addEpsilon(at, end);
            } else if (node instanceof RegexParser.Alternation alt) {
                for (RegexParser.Node option : alt.options()) {
                    int[] f = compile(option);
                    addEpsilon(start, f[0]);
                    addEpsilon(f[1], end);
                }
            } else if (node instanceof RegexParser.Repeat rep) {
                int at = start;
                for (int i = 0; i < rep.min(); i++) {
                    int[] f = compile(rep.body());
                    addEpsilon(at, f[0]);
                    at = f[1];
                }
                if (rep.max() < 0) {
                    int[] f = compile(rep.body());
                    addEpsilon(at, f[0]);
                    addEpsilon(f[1], at);
                    addEpsilon(at, end);
                } else {
                    for (int i = rep.min(); i < rep.max(); i++) {
                        int[] f = compile(rep.body());
                        addEpsilon(at, end);
                        addEpsilon(at, f[0]);
                        at = f[1];
                    }
                    addEpsilon(at, end);
                }
            }
            return new int[] {start, end};
        }

        int[] closure(int[] states) {
            boolean[] seen = new boolean[epsilon.size()];
            ArrayDeque<Integer> stack = new ArrayDeque<>();
            for (int s : states) {
                if (!seen[s]) {
                    seen[s] = true;
                    stack.push(s);
                }
            }
            int count = 0;
            while (!stack.isEmpty()) {
                int s = stack.pop();
                count++;
                for (int t : epsilon.get(s)) {
                    if (!seen[t]) {
                        seen[t] = true;
                        stack.push(t);
                    }
                }
            }
            int[] out = new int[count];
            int n = 0;
            for (int s = 0; s < seen.length; s++) {
                // only states that read a byte, or accept, tell subsets apart; the rest would split DFA states
                if (seen[s] && (edges.get(s).length > 0 || s == finalState)) {
                    out[n++] = s;
                }
            }
            return Arrays.copyOf(out, n);
        }
    }

    private static ByteAutomaton determinize(String source, Nfa nfa, int start, int end) {
        Map<IntArrayKey, Integer> ids = new HashMap<>();
        List<int[]> sets = new ArrayList<>();
        int[] first = nfa.closure(new int[] {start});
        ids.put(new IntArrayKey(first), 0);
        sets.add(first);
        int[] table = new int[256 * 64];
        for (int d = 0; d < sets.size(); d++) {
            if (sets.size() > MAX_STATES) {
                throw new IllegalArgumentException("constraint " + source + " needs more than " + MAX_STATES
                        + " automaton states; bound its repetitions");
            }
            if (table.length < (d + 1) * 256) {
                table = Arrays.copyOf(table, Math.max(table.length * 2, (d + 1) * 256));
            }
            int[] set = sets.get(d);
            // targets per byte, built by scanning each edge's range once
            int[][] targets = new int[256][];
            int[] counts = new int[256];
            for (int s : set) {
                int[] e = nfa.edges.get(s);
                for (int k = 0; k < e.length; k += 3) {
                    for (int b = e[k]; b <= e[k + 1]; b++) {
                        if (targets[b] == null) {
                            targets[b] = new int[4];
                        } else if (counts[b] == targets[b].length) {
                            targets[b] = Arrays.copyOf(targets[b], counts[b] * 2);
                        }
                        targets[b][counts[b]++] = e[k + 2];
                    }
                }
            }
            for (int b = 0; b < 256; b++) {
                if (counts[b] == 0) {
                    table[d * 256 + b] = REJECT;
                    continue;
                }
                int[] next = nfa.closure(Arrays.copyOf(targets[b], counts[b]));
                IntArrayKey key = new IntArrayKey(next);
                Integer id = ids.get(key);
                if (id == null) {
                    id = sets.size();
                    ids.put(key, id);
                    sets.add(next);
                }
                table[d * 256 + b] = id;
            }
        }
        int n = sets.size();
        boolean[] accepting = new boolean[n];
        for (int d = 0; d < n; d++) {
            accepting[d] = Arrays.binarySearch(sets.get(d), end) >= 0;
        }
        // shortest completion by breadth-first search backwards from the accepting states
        int[] distance = new int[n];
        Arrays.fill(distance, -1);
        int[][] reverse = reverse(table, n);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int d = 0; d < n; d++) {
            if (accepting[d]) {
                distance[d] = 0;
                queue.add(d);
            }
        }
        while (!queue.isEmpty()) {
            int d = queue.poll();
            for (int p : reverse[d]) {
                if (distance[p] < 0) {
                    distance[p] = distance[d] + 1;
                    queue.add(p);
                }
            }
        }
        int[] transitions = Arrays.copyOf(table, n * 256);
        for (int i = 0; i < transitions.length; i++) {
            if (transitions[i] >= 0 && distance[transitions[i]] < 0) {
                transitions[i] = REJECT; // a dead end: nothing accepted can follow
            }
        }
        return new ByteAutomaton(source, transitions, accepting, distance);
    }

    private static int[][] reverse(int[] table, int n) {
        int[] counts = new int[n];
        for (int i = 0; i < n * 256; i++) {
            if (table[i] >= 0) {
                counts[table[i]]++;
            }
        }
        int[][] out = new int[n][];
        for (int d = 0; d < n; d++) {
            out[d] = new int[counts[d]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n * 256; i++) {
            int t = table[i];
            if (t >= 0) {
                out[t][fill[t]++] = i / 256;
            }
        }
        return out;
    }

    private record IntArrayKey(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IntArrayKey k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
