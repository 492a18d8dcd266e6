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
 * for those estimates. The spine and the recycled branches are candidates of one queue, so the tree
 * is the spine where prompt lookup is trusted more, widened by recycled alternatives where a
 * recycled guess is worth more than the next spine token: never worse in expectation than either
 * source alone, and better where the spine breaks off early.
 */
final class SpeculationTreeBuilder {
    /** Source bits of a node: a spine token that recycling also proposed carries both. */
    static final int SPINE = 1;
    static final int RECYCLED = 2;

    /** A built tree with where each node came from (for the acceptance statistics). */
    record Built(TokenTree tree, int[] source, int[] rank, boolean[] besideSpine, int[] draft,
                 List<List<Integer>> children, List<Integer> rootChildren) {
    }

    /**
     * Running acceptance rates with a Beta(1, 1) prior: for spine tokens per position along the spine
     * (a match that held for two tokens tends to hold for the third), for recycled tokens per rank.
     */
    static final class AcceptanceRates {
        private static final int DEPTHS = 32;
        /** Pseudo-observations of the pooled rate in each position's estimate. */
        private static final double POOL_WEIGHT = 4.0;
        private final long[][] spineCounts = new long[DEPTHS][2];
        /**
         * Per rank, apart for recycled tokens beside a spine child (the parent's successors other than
         * the spine's token: right only when the spine is wrong) and for the others.
         */
        private final long[][] recycledCounts;
        private final long[][] besideSpineCounts;

        AcceptanceRates(int width) {
            recycledCounts = new long[width][2];
            besideSpineCounts = new long[width][2];
        }

        /**
         * The rate at one spine position, shrunk towards the rate over all positions: a position the
         * tree has rarely reached (deep ones, while the tree is shallow) then starts from what prompt
         * lookup achieves on average, not from the uninformed 1/2 that would keep it unreached.
         */
        double spine(int index) {
            long[] c = spineCounts[Math.min(index, DEPTHS - 1)];
            long hits = 0;
            long seen = 0;
            for (long[] d : spineCounts) {
                hits += d[0];
                seen += d[1];
            }
            double pooled = (hits + 1.0) / (seen + 2.0);
            return (c[0] + POOL_WEIGHT * pooled) / (c[1] + POOL_WEIGHT);
        }

        double recycled(int rank, boolean besideSpine) {
            long[] c = (besideSpine ? besideSpineCounts : recycledCounts)[rank];
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
        void record(int sources, int rank, boolean besideSpine, boolean accepted) {
            if ((sources & RECYCLED) != 0) {
                long[] c = (besideSpine ? besideSpineCounts : recycledCounts)[rank];
                c[0] += accepted ? 1 : 0;
                c[1]++;
            }
        }
    }

    private record Candidate(double value, long order, int parent, int token, int source, int rank, int spineIndex,
                             boolean besideSpine) {
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
        boolean[] beside = new boolean[budget];
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
                    size = add(tokens, parents, source, rank, beside, children, rootChildren, size, at[0], next[r], RECYCLED, r, false);
                    frontier.add(new int[] {size - 1, next[r]});
                }
            }
            return finish(tokens, parents, source, rank, beside, draft, children, rootChildren, size);
        }

        double[] values = new double[budget];
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.value != b.value
                ? Double.compare(b.value, a.value) : Long.compare(a.order, b.order));
        long[] order = {0};
        if (shape == TreeShape.spine) {
            for (int i = 0; i < draft.length && size < budget; i++) {
                size = add(tokens, parents, source, rank, beside, children, rootChildren, size, size - 1, draft[i], SPINE, 0, false);
            }
            return finish(tokens, parents, source, rank, beside, draft, children, rootChildren, size);
        }
        if (shape == TreeShape.goose && draft.length > 0) {
            // GOOSE's anisotropy: the first spineShare of the budget goes to the spine (the paper's deep chain
            // of prompt-lookup tokens); then both sources compete best-first for every remaining node: the
            // spine goes on from its last node, recycled branches grow from the root, from every spine node
            // (the parent's recycled successors other than the spine child) and from each other. Best-first
            // alone, from learned rates, keeps the spine too short: its deep positions are rarely observed
            int reserved = Math.min(draft.length, (int) Math.floor(budget * spineShare));
            double value = 1.0;
            int parent = -1;
            int parentToken = lastToken;
            for (int i = 0; i < reserved; i++) {
                offer(queue, order, false, true, true, draft, table, rates, width, parent, parentToken, value, -1);
                value *= rates.spine(i);
                size = add(tokens, parents, source, rank, beside, children, rootChildren, size, parent, draft[i], SPINE, 0, false);
                values[size - 1] = value;
                parent = size - 1;
                parentToken = draft[i];
            }
            offer(queue, order, true, true, reserved < draft.length, draft, table, rates, width, parent, parentToken, value,
                    reserved);
        } else {
            offer(queue, order, useSpine, useRecycled, useSpine && draft.length > 0, draft, table, rates, width, -1, lastToken,
                    1.0, 0);
        }
        while (!queue.isEmpty() && size < budget) {
            Candidate c = queue.poll();
            int existing = childWithToken(children, rootChildren, tokens, c.parent, c.token);
            if (existing >= 0) {
                if (c.source == SPINE && (source[existing] & SPINE) == 0) {
                    // recycling already proposed the spine's token: the node joins the spine, which goes on from it
                    source[existing] |= SPINE;
                    offer(queue, order, true, false, false, draft, table, rates, width, existing, c.token,
                            values[existing], c.spineIndex + 1);
                }
                continue;
            }
            size = add(tokens, parents, source, rank, beside, children, rootChildren, size, c.parent, c.token, c.source, c.rank, c.besideSpine);
            int node = size - 1;
            values[node] = c.value;
            int nextSpine = c.source == SPINE ? c.spineIndex + 1 : -1;
            boolean spineGoesOn = useSpine && nextSpine >= 0;
            offer(queue, order, spineGoesOn, useRecycled, spineGoesOn && nextSpine < draft.length, draft, table, rates,
                    width, node, c.token, c.value, nextSpine);
        }
        return finish(tokens, parents, source, rank, beside, draft, children, rootChildren, size);
    }

    /**
     * Queues the children of one node: its spine continuation when {@code spine}, its recycled successors
     * when {@code recycled}. {@code besideSpine} says the node has a spine child (queued now or already
     * in the tree), which conditions its recycled children on the spine being wrong.
     */
    private static void offer(PriorityQueue<Candidate> queue, long[] order, boolean spine, boolean recycled,
                              boolean besideSpine, int[] draft, RecyclingTable table, AcceptanceRates rates, int width,
                              int parent, int parentToken, double parentValue, int spineIndex) {
        if (spine && spineIndex < draft.length) {
            queue.add(new Candidate(parentValue * rates.spine(spineIndex), order[0]++, parent, draft[spineIndex], SPINE, 0,
                    spineIndex, false));
        }
        if (recycled) {
            int[] next = table.after(parentToken);
            for (int r = 0; r < next.length && r < width; r++) {
                queue.add(new Candidate(parentValue * rates.recycled(r, besideSpine), order[0]++, parent, next[r],
                        RECYCLED, r, -1, besideSpine));
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

    private static int add(int[] tokens, int[] parents, int[] source, int[] rank, boolean[] beside,
                           List<List<Integer>> children, List<Integer> rootChildren, int size, int parent, int token,
                           int from, int r, boolean besideSpine) {
        beside[size] = besideSpine;
        tokens[size] = token;
        parents[size] = parent;
        source[size] = from;
        rank[size] = r;
        children.add(new ArrayList<>());
        (parent < 0 ? rootChildren : children.get(parent)).add(size);
        return size + 1;
    }

    private static Built finish(int[] tokens, int[] parents, int[] source, int[] rank, boolean[] beside, int[] draft,
                                List<List<Integer>> children, List<Integer> rootChildren, int size) {
        return new Built(new TokenTree(Arrays.copyOf(tokens, size), Arrays.copyOf(parents, size)),
                Arrays.copyOf(source, size), Arrays.copyOf(rank, size), Arrays.copyOf(beside, size), draft, children,
                rootChildren);
    }
}
