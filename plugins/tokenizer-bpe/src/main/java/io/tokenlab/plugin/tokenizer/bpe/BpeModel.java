package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;

/**
 * The BPE merge step for one pre-tokenized piece: start from bytes (byte-level) or characters
 * (SentencePiece-style, with byte fallback), then repeatedly merge the adjacent pair with the
 * lowest rank, leftmost first, as tiktoken and Hugging Face tokenizers both do.
 *
 * <p>tiktoken's rule "merge the pair whose concatenation has the lowest rank" becomes a pair
 * table too: every split of every token into two tokens is entered with the token's rank, so one
 * engine serves both formats. Short pieces use a scan over a small array (cache-friendly, the
 * common case); long ones use a bucket queue over ranks on a linked list, so a megabyte of one
 * repeated character costs about linear time rather than tiktoken's O(n^2).
 */
final class BpeModel {
    private static final int SHORT_PIECE_SYMBOLS = 48;

    final TokenBytesTable pieceTokens;
    final PairMergeTable merges;
    /** tiktoken (and HF ignore_merges) semantics: a piece that is a token is that token. */
    final boolean wholePieceLookup;
    /** Initial symbols are single bytes; otherwise UTF-8 characters with byte fallback. */
    final boolean byteLevel;
    /** byte -> id of its single-byte token (byte-level) or its {@code <0xXX>} fallback token; -1 if none. */
    final int[] byteIds;
    final int unknownId;
    final boolean fuseUnknown;

    BpeModel(TokenBytesTable pieceTokens, PairMergeTable merges, boolean wholePieceLookup, boolean byteLevel,
             int[] byteIds, int unknownId, boolean fuseUnknown) {
        this.pieceTokens = pieceTokens;
        this.merges = merges;
        this.wholePieceLookup = wholePieceLookup;
        this.byteLevel = byteLevel;
        this.byteIds = byteIds;
        this.unknownId = unknownId;
        this.fuseUnknown = fuseUnknown;
    }

    /** Per-call working arrays, so that concurrent encodes share nothing mutable. */
    static final class Scratch {
        int[] ids = new int[64];
        int[] starts = new int[65];
        int[] slots = new int[64];
        int[] ranks = new int[64];
        int[] next = new int[64];
        int[] prev = new int[64];
        RankQueue rankQueue;

        RankQueue rankQueue(int n) {
            if (rankQueue == null) {
                rankQueue = new RankQueue(n);
            } else {
                rankQueue.reset(n);
            }
            return rankQueue;
        }

        void ensure(int n) {
            if (ids.length < n + 1) {
                int c = Math.max(n + 1, ids.length * 2);
                ids = new int[c];
                starts = new int[c + 1];
                slots = new int[c];
                ranks = new int[c];
                next = new int[c];
                prev = new int[c];
            }
        }
    }

    /**
     * Appends the ids of {@code buf[off, off + len)}; when {@code tokenStarts} is given, also the
     * start of each token as a byte offset relative to {@code off}.
     */
    void encodePiece(byte[] buf, int off, int len, IntList out, IntList tokenStarts, Scratch s) {
        if (len == 0) {
            return;
        }
        if (byteLevel && len == 1) {
            out.add(byteIds[buf[off] & 0xFF]);
            if (tokenStarts != null) {
                tokenStarts.add(0);
            }
            return;
        }
        if (wholePieceLookup) {
            int id = pieceTokens.idOf(buf, off, len);
            if (id >= 0) {
                out.add(id);
                if (tokenStarts != null) {
                    tokenStarts.add(0);
                }
                return;
            }
        }
        s.ensure(len);
        int n = byteLevel ? byteSymbols(buf, off, len, s) : characterSymbols(buf, off, len, s);
        if (n <= SHORT_PIECE_SYMBOLS) {
            n = mergeShort(s, n);
            for (int i = 0; i < n; i++) {
                out.add(s.ids[i]);
                if (tokenStarts != null) {
                    tokenStarts.add(s.starts[i]);
                }
            }
        } else {
            mergeLong(s, n, out, tokenStarts);
        }
    }

    private int byteSymbols(byte[] buf, int off, int len, Scratch s) {
        int[] ids = s.ids;
        int[] starts = s.starts;
        for (int i = 0; i < len; i++) {
            ids[i] = byteIds[buf[off + i] & 0xFF];
            starts[i] = i;
        }
        starts[len] = len;
        return len;
    }

    private int characterSymbols(byte[] buf, int off, int len, Scratch s) {
        int n = 0;
        int i = 0;
        while (i < len) {
            int lead = buf[off + i] & 0xFF;
            int charLen = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            charLen = Math.min(charLen, len - i);
            int id = pieceTokens.idOf(buf, off + i, charLen);
            if (id >= 0) {
                s.ids[n] = id;
                s.starts[n++] = i;
            } else if (fallbackAvailable(buf, off + i, charLen)) {
                for (int k = 0; k < charLen; k++) {
                    s.ids[n] = byteIds[buf[off + i + k] & 0xFF];
                    s.starts[n++] = i + k;
                }
            } else {
                if (unknownId < 0) {
                    throw new TechniqueException("the vocabulary has no token for the character at byte " + i
                            + " of a piece, no byte fallback and no unknown token");
                }
                if (!(fuseUnknown && n > 0 && s.ids[n - 1] == unknownId)) {
                    s.ids[n] = unknownId;
                    s.starts[n++] = i;
                }
            }
            i += charLen;
        }
        s.starts[n] = len;
        return n;
    }

    private boolean fallbackAvailable(byte[] buf, int at, int count) {
        for (int k = 0; k < count; k++) {
            if (byteIds[buf[at + k] & 0xFF] < 0) {
                return false;
            }
        }
        return true;
    }

    private int mergeShort(Scratch s, int n) {
        int[] ids = s.ids;
        int[] starts = s.starts;
        int[] slots = s.slots;
        // ranks copied next to each other, so the scan for the minimum reads one small array
        // instead of a table slot per pair per merge
        int[] ranks = s.ranks;
        PairMergeTable table = merges;
        for (int i = 0; i < n - 1; i++) {
            int slot = table.find(ids[i], ids[i + 1]);
            slots[i] = slot;
            ranks[i] = slot >= 0 ? table.rankAt(slot) : PairMergeTable.NO_MERGE;
        }
        while (n > 1) {
            int best = -1;
            int bestRank = PairMergeTable.NO_MERGE;
            for (int i = 0; i < n - 1; i++) {
                int r = ranks[i];
                if (r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            ids[best] = table.mergedAt(slots[best]);
            int tail = n - best - 2;
            if (tail > 0) {
                System.arraycopy(ids, best + 2, ids, best + 1, tail);
                System.arraycopy(slots, best + 2, slots, best + 1, tail);
                System.arraycopy(ranks, best + 2, ranks, best + 1, tail);
            }
            System.arraycopy(starts, best + 2, starts, best + 1, n - best - 1);
            n--;
            if (best > 0) {
                int slot = table.find(ids[best - 1], ids[best]);
                slots[best - 1] = slot;
                ranks[best - 1] = slot >= 0 ? table.rankAt(slot) : PairMergeTable.NO_MERGE;
            }
            if (best < n - 1) {
                int slot = table.find(ids[best], ids[best + 1]);
                slots[best] = slot;
                ranks[best] = slot >= 0 ? table.rankAt(slot) : PairMergeTable.NO_MERGE;
            }
        }
        return n;
    }

    /**
     * Long pieces: a monotone bucket queue over ranks instead of a heap over pairs. A merge of
     * rank R makes a token whose pairs with its neighbours span more bytes, so (for vocabularies
     * built by BPE training) their ranks are above R: ranks then come out in non-decreasing order,
     * and a whole rank is merged in one ascending sweep over its positions, which is tiktoken's
     * "lowest rank, leftmost first". The heap only orders distinct ranks, which are few on
     * repetitive input (a megabyte of one character has a handful), so the per-merge cost is a
     * couple of table lookups rather than a sift through a million-entry heap.
     *
     * <p>Exactness does not rest on that property: when a merge does create a pair of rank at or
     * below the rank being swept (possible with hand-made rank files), the sweep stops and puts
     * its rest back, so the next pop is again the global (rank, position) minimum.
     */
    private void mergeLong(Scratch s, int n, IntList out, IntList tokenStarts) {
        int[] ids = s.ids;
        int[] next = s.next;
        int[] prev = s.prev;
        // the pair starting at part i: its table slot and rank (NO_MERGE if none); a queued
        // position is current only while ranks[i] still equals the rank it was queued under
        int[] slots = s.slots;
        int[] ranks = s.ranks;
        PairMergeTable table = merges;
        RankQueue q = s.rankQueue(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        for (int i = 0; i < n - 1; i++) {
            int slot = table.find(ids[i], ids[i + 1]);
            slots[i] = slot;
            int r = slot >= 0 ? table.rankAt(slot) : PairMergeTable.NO_MERGE;
            ranks[i] = r;
            if (r != PairMergeTable.NO_MERGE) {
                q.add(r, i);
            }
        }
        ranks[n - 1] = PairMergeTable.NO_MERGE;
        while (!q.isEmpty()) {
            int rank = q.popMinRank();
            int k = q.drain(rank);
            int[] batch = q.batch;
            for (int i = 0; i < k; i++) {
                int pos = batch[i];
                if (ids[pos] < 0 || ranks[pos] != rank) {
                    continue; // stale: this part or its right neighbour merged since it was queued
                }
                int right = next[pos];
                ids[pos] = table.mergedAt(slots[pos]);
                ids[right] = -1;
                int afterRight = next[right];
                next[pos] = afterRight;
                int low = PairMergeTable.NO_MERGE;
                if (afterRight >= 0) {
                    prev[afterRight] = pos;
                    low = Math.min(low, pairAt(table, q, ids, slots, ranks, pos, afterRight));
                } else {
                    ranks[pos] = PairMergeTable.NO_MERGE;
                }
                int before = prev[pos];
                if (before >= 0) {
                    low = Math.min(low, pairAt(table, q, ids, slots, ranks, before, pos));
                }
                if (low <= rank) {
                    q.requeue(rank, batch, i + 1, k);
                    break;
                }
            }
        }
        for (int i = 0; i >= 0; i = next[i]) {
            out.add(ids[i]);
            if (tokenStarts != null) {
                tokenStarts.add(s.starts[i]);
            }
        }
    }

    /** Records the pair of parts {@code left, right} and queues it; returns its rank. */
    private static int pairAt(PairMergeTable table, RankQueue q, int[] ids, int[] slots, int[] ranks,
                              int left, int right) {
        int slot = table.find(ids[left], ids[right]);
        slots[left] = slot;
        int r = slot >= 0 ? table.rankAt(slot) : PairMergeTable.NO_MERGE;
        ranks[left] = r;
        if (r != PairMergeTable.NO_MERGE) {
            q.add(r, left);
        }
        return r;
    }

    /**
     * Positions grouped by rank (a singly linked list per rank, in int arrays), a map from rank to
     * its group, and a binary min-heap over the ranks whose group is non-empty. Sized by the piece,
     * not by the vocabulary, and reused across the long pieces of one encode call.
     */
    static final class RankQueue {
        // list nodes: queued position and next node (-1 ends a list)
        int[] nodePos;
        int[] nodeNext;
        int nodes;
        // groups: rank, first and last node, whether the rank is in the heap, map slot
        int[] groupRank = new int[16];
        int[] groupHead = new int[16];
        int[] groupTail = new int[16];
        boolean[] groupQueued = new boolean[16];
        int[] groupSlot = new int[16];
        int groups;
        // open-addressing map rank -> group; key stored as rank + 1 so that 0 means empty
        int[] mapKeys = new int[32];
        int[] mapGroups = new int[32];
        int[] heap = new int[16];
        int heapSize;
        int[] batch;
        // consecutive adds mostly share a rank (a run of one character), so the last lookup is kept
        int lastRank = -1;
        int lastGroup;

        RankQueue(int n) {
            nodePos = new int[Math.max(16, 2 * n)];
            nodeNext = new int[nodePos.length];
            batch = new int[Math.max(16, n)];
        }

        void reset(int n) {
            if (nodePos.length < 2 * n) {
                nodePos = new int[2 * n];
                nodeNext = new int[2 * n];
            }
            if (batch.length < n) {
                batch = new int[n];
            }
            // clear only the map slots this call's predecessor used
            for (int g = 0; g < groups; g++) {
                mapKeys[groupSlot[g]] = 0;
            }
            nodes = 0;
            groups = 0;
            heapSize = 0;
            lastRank = -1;
        }

        boolean isEmpty() {
            return heapSize == 0;
        }

        void add(int rank, int pos) {
            int g = rank == lastRank ? lastGroup : group(rank);
            if (nodes == nodePos.length) {
                nodePos = java.util.Arrays.copyOf(nodePos, nodes * 2);
                nodeNext = java.util.Arrays.copyOf(nodeNext, nodes * 2);
            }
            int node = nodes++;
            nodePos[node] = pos;
            nodeNext[node] = -1;
            if (groupHead[g] < 0) {
                groupHead[g] = node;
            } else {
                nodeNext[groupTail[g]] = node;
            }
            groupTail[g] = node;
            if (!groupQueued[g]) {
                groupQueued[g] = true;
                heapPush(rank);
            }
        }

        /** Puts {@code src[from, to)}, ascending positions of {@code rank}, back in its group. */
        void requeue(int rank, int[] src, int from, int to) {
            for (int i = from; i < to; i++) {
                add(rank, src[i]);
            }
        }

        /** Moves the positions queued under {@code rank} into {@link #batch}, ascending; returns how many. */
        int drain(int rank) {
            int g = group(rank);
            int k = 0;
            boolean sorted = true;
            int last = Integer.MIN_VALUE;
            int[] b = batch;
            for (int node = groupHead[g]; node >= 0; node = nodeNext[node]) {
                if (k == b.length) {
                    b = batch = java.util.Arrays.copyOf(b, k * 2);
                }
                int pos = nodePos[node];
                sorted &= pos > last;
                last = pos;
                b[k++] = pos;
            }
            groupHead[g] = -1;
            groupQueued[g] = false;
            if (!sorted) {
                java.util.Arrays.sort(b, 0, k);
            }
            return k;
        }

        private int group(int rank) {
            int mask = mapKeys.length - 1;
            int slot = (rank * 0x9E3779B9) >>> 7 & mask;
            while (true) {
                int key = mapKeys[slot];
                if (key == rank + 1) {
                    lastRank = rank;
                    return lastGroup = mapGroups[slot];
                }
                if (key == 0) {
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if ((groups + 1) * 2 > mapKeys.length) {
                growMap();
                return group(rank);
            }
            if (groups == groupRank.length) {
                int c = groups * 2;
                groupRank = java.util.Arrays.copyOf(groupRank, c);
                groupHead = java.util.Arrays.copyOf(groupHead, c);
                groupTail = java.util.Arrays.copyOf(groupTail, c);
                groupQueued = java.util.Arrays.copyOf(groupQueued, c);
                groupSlot = java.util.Arrays.copyOf(groupSlot, c);
            }
            int g = groups++;
            groupRank[g] = rank;
            groupHead[g] = -1;
            groupQueued[g] = false;
            groupSlot[g] = slot;
            mapKeys[slot] = rank + 1;
            mapGroups[slot] = g;
            lastRank = rank;
            return lastGroup = g;
        }

        private void growMap() {
            int capacity = mapKeys.length * 2;
            mapKeys = new int[capacity];
            mapGroups = new int[capacity];
            int mask = capacity - 1;
            for (int g = 0; g < groups; g++) {
                int slot = (groupRank[g] * 0x9E3779B9) >>> 7 & mask;
                while (mapKeys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                mapKeys[slot] = groupRank[g] + 1;
                mapGroups[slot] = g;
                groupSlot[g] = slot;
            }
        }

        private void heapPush(int rank) {
            if (heapSize == heap.length) {
                heap = java.util.Arrays.copyOf(heap, heapSize * 2);
            }
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= rank) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = rank;
        }

        int popMinRank() {
            int top = heap[0];
            int last = heap[--heapSize];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
