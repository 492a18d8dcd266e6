package io.tokenlab.plugin.decoder.goose;

import io.tokenlab.api.lm.TokenTree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Builds one speculation tree under a node budget from the two training-free sources.
 *
 * <p>GOOSE's observation is that the sources differ in reliability by an order of magnitude, so the
 * tree should be anisotropic: a deep chain where the reliable source (prompt lookup) speaks, wide
 * shallow branches of the unreliable one (recycling). Built best-first on the estimated probability
 * that a node is reached by the greedy walk (the product of its edges' acceptance rates, learned
 * per source and per recycling rank during the run), the tree maximises the expected accepted length
 * for those estimates; the spine and the recycled tree are both candidates, so the result is never
 * worse in expectation than either alone.
 */
final class SpeculationTreeBuilder {
    /** Source bits of a node: a spine token that recycling also proposed carries both. */
    static final int SPINE = 1;
    static final int RECYCLED = 2;

    /** A built tree with where each node came from (for the acceptance statistics). */
    record Built(TokenTree tree, int[] source, int[] rank, int[] draft, List<List<Integer>> children,
                 List<Integer> rootChildren) {
    }

    /**
     * Running acceptance rates with a Beta(1, 1) prior: for spine tokens per position along the spine
     * (a match that held for two tokens tends to hold for the third), for recycled tokens per rank.
     */
    static final class AcceptanceRates {
        private static final int DEPTHS = 32;
        private final long[][] spineCounts = new long[DEPTHS][2];
        private final long[][] recycledCounts;

        AcceptanceRates(int width) {
            recycledCounts = new long[width][2];
        }

        double spine(int index) {
            long[] c = spineCounts[Math.min(index, DEPTHS - 1)];
            return (c[0] + 1.0) / (c[1] + 2.0);
        }

        double recycled(int rank) {
            long[] c = recycledCounts[rank];
            return (c[0] + 1.0) / (c[1] + 2.0);
        }

        /**
         * Scores the whole prompt-lookup draft against the tokens greedy decoding produced this step,
         * whether or not the tree included it: the spine's rates are then learned without the tree's
         * shape deciding what gets observed (deep spine positions would otherwise never be tried).
         */
        void recordDraft(int[] draft, int[] produced, int count) {
            for (int i = 0; i < Math.min(draft.length, count); i++) {
                if (i > 0 && draft[i - 1] != produced[i - 1]) {
                    return;
                }
                long[] c = spineCounts[Math.min(i, DEPTHS - 1)];
                c[0] += draft[i] == produced[i] ? 1 : 0;
                c[1]++;
            }
        }

        /** Records whether a recycled node was the greedy choice after its (accepted) parent. */
        void record(int sources, int rank, boolean accepted) {
            if ((sources & RECYCLED) != 0) {
                long[] c = recycledCounts[rank];
                c[0] += accepted ? 1 : 0;
                c[1]++;
            }
        }
    }

    private record Candidate(double value, long order, int parent, int token, int source, int rank, int spineIndex) {
    }

    private SpeculationTreeBuilder() {
    }

    static Built build(TreeShape shape, int[] sequence, int length, RecyclingTable table, AcceptanceRates rates,
                       int budget, int width, int maxNgram, double spineShare) {
        boolean useSpine = shape == TreeShape.goose || shape == TreeShape.spine;
        boolean useRecycled = shape != TreeShape.spine;
        // the draft is looked up for every shape: its rates are learned from every step (see AcceptanceRates)
        int[] draft = PromptLookup.draft(sequence, length, maxNgram, budget);
        int[] tokens = new int[budget];
        int[] parents = new int[budget];
        int[] source = new int[budget];
        int[] rank = new int[budget];
        List<List<Integer>> children = new ArrayList<>();
        List<Integer> rootChildren = new ArrayList<>();
        int size = 0;
        int lastToken = sequence[length - 1];

        if (shape == TreeShape.balanced) {
            // breadth first, every node gets up to `width` recycled children
            ArrayDeque<int[]> frontier = new ArrayDeque<>(); // {node, token}
            frontier.add(new int[] {-1, lastToken});
            while (!frontier.isEmpty() && size < budget) {
                int[] at = frontier.poll();
                int[] next = table.after(at[1]);
                for (int r = 0; r < next.length && r < width && size < budget; r++) {
                    size = add(tokens, parents, source, rank, children, rootChildren, size, at[0], next[r], RECYCLED, r);
                    frontier.add(new int[] {size - 1, next[r]});
                }
            }
            return finish(tokens, parents, source, rank, draft, children, rootChildren, size);
        }

        double[] values = new double[budget];
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.value != b.value
                ? Double.compare(b.value, a.value) : Long.compare(a.order, b.order));
        long[] order = {0};
        if (shape == TreeShape.spine) {
            for (int i = 0; i < draft.length && size < budget; i++) {
                size = add(tokens, parents, source, rank, children, rootChildren, size, size - 1, draft[i], SPINE, 0);
            }
            return finish(tokens, parents, source, rank, draft, children, rootChildren, size);
        }
        if (shape == TreeShape.goose && draft.length > 0) {
            // GOOSE's anisotropy: the spine first, as deep as its share of the budget allows; recycled
            // branches then grow best-first from the root and from every spine node
            int spineLength = Math.min(draft.length, Math.max(1, (int) Math.ceil(budget * spineShare)));
            double value = 1.0;
            offer(queue, order, false, true, draft, table, rates, width, -1, lastToken, 1.0, -1);
            for (int i = 0; i < spineLength; i++) {
                value *= rates.spine(i);
                size = add(tokens, parents, source, rank, children, rootChildren, size, size - 1, draft[i], SPINE, 0);
                values[size - 1] = value;
                offer(queue, order, false, true, draft, table, rates, width, size - 1, draft[i], value, -1);
            }
        } else {
            offer(queue, order, useSpine, useRecycled, draft, table, rates, width, -1, lastToken, 1.0, 0);
        }
        while (!queue.isEmpty() && size < budget) {
            Candidate c = queue.poll();
            int existing = childWithToken(children, rootChildren, tokens, c.parent, c.token);
            if (existing >= 0) {
                if (c.source == SPINE && (source[existing] & SPINE) == 0) {
                    // recycling already proposed the spine's token: the node joins the spine, which goes on from it
                    source[existing] |= SPINE;
                    offer(queue, order, true, false, draft, table, rates, width, existing, c.token, values[existing],
                            c.spineIndex + 1);
                }
                continue;
            }
            size = add(tokens, parents, source, rank, children, rootChildren, size, c.parent, c.token, c.source, c.rank);
            int node = size - 1;
            values[node] = c.value;
            int nextSpine = c.source == SPINE ? c.spineIndex + 1 : -1;
            offer(queue, order, useSpine && nextSpine >= 0, useRecycled, draft, table, rates, width, node, c.token,
                    c.value, nextSpine);
        }
        return finish(tokens, parents, source, rank, draft, children, rootChildren, size);
    }

    private static void offer(PriorityQueue<Candidate> queue, long[] order, boolean spine, boolean recycled, int[] draft,
                              RecyclingTable table, AcceptanceRates rates, int width, int parent, int parentToken,
                              double parentValue, int spineIndex) {
        if (spine && spineIndex < draft.length) {
            queue.add(new Candidate(parentValue * rates.spine(spineIndex), order[0]++, parent, draft[spineIndex], SPINE, 0,
                    spineIndex));
        }
        if (recycled) {
            int[] next = table.after(parentToken);
            for (int r = 0; r < next.length && r < width; r++) {
                queue.add(new Candidate(parentValue * rates.recycled(r), order[0]++, parent, next[r], RECYCLED, r, -1));
            }
        }
    }

    static int depthOf(int[] parents, int node) {
        int depth = 0;
        for (int p = parents[node]; p >= 0; p = parents[p]) {
            depth++;
        }
        return depth;
    }

    private static int childWithToken(List<List<Integer>> children, List<Integer> rootChildren, int[] tokens, int parent,
                                      int token) {
        for (int child : parent < 0 ? rootChildren : children.get(parent)) {
            if (tokens[child] == token) {
                return child;
            }
        }
        return -1;
    }

    private static int add(int[] tokens, int[] parents, int[] source, int[] rank, List<List<Integer>> children,
                           List<Integer> rootChildren, int size, int parent, int token, int from, int r) {
        tokens[size] = token;
        parents[size] = parent;
        source[size] = from;
        rank[size] = r;
        children.add(new ArrayList<>());
        (parent < 0 ? rootChildren : children.get(parent)).add(size);
        return size + 1;
    }

    private static Built finish(int[] tokens, int[] parents, int[] source, int[] rank, int[] draft,
                                List<List<Integer>> children, List<Integer> rootChildren, int size) {
        return new Built(new TokenTree(Arrays.copyOf(tokens, size), Arrays.copyOf(parents, size)),
                Arrays.copyOf(source, size), Arrays.copyOf(rank, size), draft, children, rootChildren);
    }
}
