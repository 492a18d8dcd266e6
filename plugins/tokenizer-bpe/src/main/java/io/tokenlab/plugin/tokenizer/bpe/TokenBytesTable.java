package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Arrays;

/**
 * Token ids and their byte strings, both ways: id to bytes for decoding, bytes to id (an
 * open-addressing table over one shared byte pool) for the whole-piece lookup that settles most
 * words without any merging. Immutable once built, so shared by all threads.
 */
final class TokenBytesTable {
    private final byte[] pool;
    private final int[] offsets; // id -> start in pool; offsets[id + 1] is the end; absent ids are empty
    private final boolean[] present;
    private final int[] slots; // id + 1, 0 = empty
    private final int[] slotHashes;
    private final int mask;
    private final int maxTokenLength;
    /**
     * Tokens of at most 8 bytes (most whole-word pieces) again, each as one entry of two longs:
     * the bytes packed little-endian and {@code id << 8 | length}. A lookup then touches one
     * cache line instead of four (slot, hash, offset and pool), which the profile showed dominant.
     */
    private final long[] packed;
    private final int packedMask;

    private TokenBytesTable(byte[] pool, int[] offsets, boolean[] present, int count) {
        this.pool = pool;
        this.offsets = offsets;
        this.present = present;
        int capacity = Integer.highestOneBit(Math.max(16, count * 2 - 1)) << 1;
        this.slots = new int[capacity];
        this.slotHashes = new int[capacity];
        this.mask = capacity - 1;
        int longest = 0;
        for (int id = 0; id < present.length; id++) {
            if (!present[id]) {
                continue;
            }
            int start = offsets[id];
            int len = offsets[id + 1] - start;
            longest = Math.max(longest, len);
            int h = hash(pool, start, len);
            int slot = h & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
            slotHashes[slot] = h;
        }
        this.maxTokenLength = longest;
        int shortCount = 0;
        for (int id = 0; id < present.length; id++) {
            if (present[id] && offsets[id + 1] - offsets[id] <= 8) {
                shortCount++;
            }
        }
        int shortCapacity = Integer.highestOneBit(Math.max(16, shortCount * 2 - 1)) << 1;
        this.packed = new long[shortCapacity * 2];
        this.packedMask = shortCapacity - 1;
        for (int id = 0; id < present.length; id++) {
            int start = offsets[id];
            int len = offsets[id + 1] - start;
            if (!present[id] || len > 8 || len == 0) {
                continue;
            }
            long key = pack(pool, start, len);
            int slot = packedSlot(key, len, packedMask);
            while (packed[2 * slot + 1] != 0) {
                slot = (slot + 1) & packedMask;
            }
            packed[2 * slot] = key;
            packed[2 * slot + 1] = ((long) id << 8) | len;
        }
    }

    /** A table exactly as {@link #writeTo} saved it (the binary vocabulary cache). */
    private TokenBytesTable(byte[] pool, int[] offsets, boolean[] present, int[] slots, int[] slotHashes,
                            int maxTokenLength, long[] packed) {
        this.pool = pool;
        this.offsets = offsets;
        this.present = present;
        this.slots = slots;
        this.slotHashes = slotHashes;
        this.mask = slots.length - 1;
        this.maxTokenLength = maxTokenLength;
        this.packed = packed;
        this.packedMask = packed.length / 2 - 1;
    }

    void writeTo(BinaryArrays.Writer out) {
        out.bytes(pool).ints(offsets).booleans(present).ints(slots).ints(slotHashes).ints(new int[] {maxTokenLength})
                .longs(packed);
    }

    static TokenBytesTable readFrom(BinaryArrays.Reader in) {
        byte[] pool = in.bytes();
        int[] offsets = in.ints();
        boolean[] present = in.booleans();
        int[] slots = in.ints();
        int[] slotHashes = in.ints();
        int maxTokenLength = in.ints()[0];
        long[] packed = in.longs();
        if (offsets.length != present.length + 1 || slots.length != slotHashes.length
                || Integer.bitCount(slots.length) != 1 || Integer.bitCount(packed.length / 2) != 1
                || offsets[present.length] != pool.length) {
            throw new IllegalArgumentException("inconsistent token table");
        }
        return new TokenBytesTable(pool, offsets, present, slots, slotHashes, maxTokenLength, packed);
    }

    /** Up to 8 bytes as a little-endian long; the length is kept separately (bytes may be zero). */
    static long pack(byte[] bytes, int start, int len) {
        long key = 0;
        for (int i = len - 1; i >= 0; i--) {
            key = (key << 8) | (bytes[start + i] & 0xFFL);
        }
        return key;
    }

    private static int packedSlot(long key, int len, int mask) {
        long h = (key ^ ((long) len << 59)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 35) & mask;
    }

    /** Builds the table from per-id byte strings; null entries are ids without bytes (gaps, specials). */
    static TokenBytesTable of(byte[][] bytesById) {
        int total = 0;
        int count = 0;
        for (byte[] b : bytesById) {
            if (b != null) {
                total += b.length;
                count++;
            }
        }
        byte[] pool = new byte[total];
        int[] offsets = new int[bytesById.length + 1];
        boolean[] present = new boolean[bytesById.length];
        int pos = 0;
        for (int id = 0; id < bytesById.length; id++) {
            offsets[id] = pos;
            if (bytesById[id] != null) {
                present[id] = true;
                System.arraycopy(bytesById[id], 0, pool, pos, bytesById[id].length);
                pos += bytesById[id].length;
            }
        }
        offsets[bytesById.length] = pos;
        return new TokenBytesTable(pool, offsets, present, count);
    }

    static int hash(byte[] bytes, int start, int len) {
        int h = 0x811C9DC5 ^ len;
        for (int i = start, end = start + len; i < end; i++) {
            h = (h ^ bytes[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }

    /** The id of exactly these bytes, or -1. */
    int idOf(byte[] bytes, int start, int len) {
        if (len <= 8) {
            return len == 0 ? -1 : packedIdOf(pack(bytes, start, len), len);
        }
        if (len > maxTokenLength) {
            return -1;
        }
        int h = hash(bytes, start, len);
        int slot = h & mask;
        for (int entry; (entry = slots[slot]) != 0; slot = (slot + 1) & mask) {
            if (slotHashes[slot] == h) {
                int id = entry - 1;
                int s = offsets[id];
                if (offsets[id + 1] - s == len && Arrays.equals(pool, s, s + len, bytes, start, start + len)) {
                    return id;
                }
            }
        }
        return -1;
    }

    /** The id of the {@code len <= 8} bytes packed as {@link #pack} does, or -1. */
    int packedIdOf(long key, int len) {
        long[] table = packed;
        int m = packedMask;
        for (int slot = packedSlot(key, len, m); ; slot = (slot + 1) & m) {
            long meta = table[2 * slot + 1];
            if (meta == 0) {
                return -1;
            }
            if (table[2 * slot] == key && (int) (meta & 0xFF) == len) {
                return (int) (meta >>> 8);
            }
        }
    }

    int idOf(byte[] bytes) {
        return idOf(bytes, 0, bytes.length);
    }

    boolean has(int id) {
        return id >= 0 && id < present.length && present[id];
    }

    int length(int id) {
        return offsets[id + 1] - offsets[id];
    }

    void copyBytes(int id, byte[] target, int at) {
        System.arraycopy(pool, offsets[id], target, at, offsets[id + 1] - offsets[id]);
    }

    byte[] bytes(int id) {
        return Arrays.copyOfRange(pool, offsets[id], offsets[id + 1]);
    }

    int size() {
        return present.length;
    }
}
