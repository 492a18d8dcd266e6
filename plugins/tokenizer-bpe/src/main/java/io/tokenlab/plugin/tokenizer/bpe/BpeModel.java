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
 * common case); long ones use a heap over a linked list, so a megabyte of one repeated character
 * costs O(n log n) rather than tiktoken's O(n^2).
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
        long[] heap = new long[64];

        void ensure(int n) {
            if (ids.length < n + 1) {
                int c = Math.max(n + 1, ids.length * 2);
                ids = new int[c];
                starts = new int[c + 1];
                slots = new int[c];
                ranks = new int[c];
                next = new int[c];
                prev = new int[c];
                heap = new long[c];
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

    private void mergeLong(Scratch s, int n, IntList out, IntList tokenStarts) {
        int[] ids = s.ids;
        int[] next = s.next;
        int[] prev = s.prev;
        long[] heap = s.heap;
        PairMergeTable table = merges;
        int heapSize = 0;
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        // the initial pairs are heapified in O(n) rather than pushed one by one in O(n log n)
        for (int i = 0; i < n - 1; i++) {
            int r = table.rank(ids[i], ids[i + 1]);
            if (r != PairMergeTable.NO_MERGE) {
                heap[heapSize++] = ((long) r << 32) | i;
            }
        }
        for (int i = (heapSize - 2) >>> 2; heapSize > 1 && i >= 0; i--) {
            siftDown(heap, heapSize, i, heap[i]);
        }
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heap, heapSize);
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[pos];
            if (ids[pos] < 0 || right < 0) {
                continue;
            }
            int slot = table.find(ids[pos], ids[right]);
            if (slot < 0 || table.rankAt(slot) != rank) {
                continue; // stale: a neighbour merged since this entry was pushed
            }
            ids[pos] = table.mergedAt(slot);
            ids[right] = -1;
            int afterRight = next[right];
            next[pos] = afterRight;
            if (afterRight >= 0) {
                prev[afterRight] = pos;
                int r = table.rank(ids[pos], ids[afterRight]);
                if (r != PairMergeTable.NO_MERGE) {
                    heapSize = push(s, heapSize, ((long) r << 32) | pos);
                    heap = s.heap;
                }
            }
            int before = prev[pos];
            if (before >= 0) {
                int r = table.rank(ids[before], ids[pos]);
                if (r != PairMergeTable.NO_MERGE) {
                    heapSize = push(s, heapSize, ((long) r << 32) | before);
                    heap = s.heap;
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

    private static int push(Scratch s, int size, long entry) {
        if (size == s.heap.length) {
            s.heap = java.util.Arrays.copyOf(s.heap, size * 2);
        }
        long[] heap = s.heap;
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (heap[parent] <= entry) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
        return size + 1;
    }

    private static int pop(long[] heap, int size) {
        size--;
        siftDown(heap, size, 0, heap[size]);
        return size;
    }

    /**
     * A 4-ary heap: half the depth of a binary one and the children of a node in one cache line,
     * which matters once the heap (a megabyte of one repeated character) no longer fits in cache.
     */
    private static void siftDown(long[] heap, int size, int i, long last) {
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int child = first;
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (heap[c] < heap[child]) {
                    child = c;
                }
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
    }
}
