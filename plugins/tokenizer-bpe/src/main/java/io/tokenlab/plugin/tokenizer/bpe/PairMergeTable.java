package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Which adjacent pair of tokens merges into which token, and how early: an open-addressing table
 * keyed by {@code left << 32 | right}. A lower rank merges first.
 *
 * <p>Key and value share one array ({@code [key, rank << 32 | merged]} per slot) so that a lookup,
 * the inner operation of every merge loop, costs one cache miss rather than three.
 */
final class PairMergeTable {
    static final int NO_MERGE = Integer.MAX_VALUE;

    private long[] entries;
    private int mask;
    private int size;

    PairMergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        entries = emptyEntries(capacity);
        mask = capacity - 1;
    }

    /** A table exactly as {@link #writeTo} saved it (the binary vocabulary cache). */
    private PairMergeTable(long[] entries, int size) {
        this.entries = entries;
        this.mask = entries.length / 2 - 1;
        this.size = size;
    }

    void writeTo(BinaryArrays.Writer out) {
        out.longs(entries).ints(new int[] {size});
    }

    static PairMergeTable readFrom(BinaryArrays.Reader in) {
        long[] entries = in.longs();
        int size = in.ints()[0];
        if (Integer.bitCount(entries.length / 2) != 1 || entries.length % 2 != 0 || size * 2 > entries.length / 2) {
            throw new IllegalArgumentException("inconsistent merge table");
        }
        return new PairMergeTable(entries, size);
    }

    private static long[] emptyEntries(int capacity) {
        long[] e = new long[capacity * 2];
        for (int i = 0; i < e.length; i += 2) {
            e[i] = -1L;
        }
        return e;
    }

    private static int slotOf(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Adds or replaces a merge (a later duplicate wins, as in Hugging Face tokenizers). */
    void put(int left, int right, int rank, int mergedId) {
        if ((size + 1) * 2 > mask + 1) {
            grow();
        }
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        int slot = slotOf(key, mask);
        while (entries[2 * slot] != -1L && entries[2 * slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (entries[2 * slot] == -1L) {
            size++;
        }
        entries[2 * slot] = key;
        entries[2 * slot + 1] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
    }

    /** The slot of a pair's merge, or -1 if the pair does not merge. */
    int find(int left, int right) {
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        long[] e = entries;
        int m = mask;
        int slot = slotOf(key, m);
        for (long k; (k = e[2 * slot]) != -1L; slot = (slot + 1) & m) {
            if (k == key) {
                return slot;
            }
        }
        return -1;
    }

    int rank(int left, int right) {
        int slot = find(left, right);
        return slot < 0 ? NO_MERGE : rankAt(slot);
    }

    int rankAt(int slot) {
        return (int) (entries[2 * slot + 1] >>> 32);
    }

    int mergedAt(int slot) {
        return (int) entries[2 * slot + 1];
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = entries;
        int capacity = (mask + 1) * 2;
        long[] e = emptyEntries(capacity);
        int m = capacity - 1;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != -1L) {
                int slot = slotOf(old[i], m);
                while (e[2 * slot] != -1L) {
                    slot = (slot + 1) & m;
                }
                e[2 * slot] = old[i];
                e[2 * slot + 1] = old[i + 1];
            }
        }
        entries = e;
        mask = m;
    }
}
