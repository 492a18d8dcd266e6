package io.tokenlab.runtime.io;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of ids as text, one line of space-separated decimal ids per row, written as ASCII digits
 * straight into one growing byte buffer: the ids of a large corpus (millions) would otherwise pass
 * through a StringBuilder, a String and an encoded copy.
 */
final class IdsText {
    private byte[] buf;
    private int size;

    private IdsText(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    static byte[] encode(List<int[]> rows) {
        long ids = 0;
        for (int[] row : rows) {
            ids += row.length;
        }
        // about 6 bytes an id (5-6 digits and a separator) for vocabularies of 100-200k tokens
        IdsText out = new IdsText((int) Math.min(Integer.MAX_VALUE - 16, ids * 6 + rows.size()));
        for (int[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.put((byte) ' ');
                }
                out.putInt(row[i]);
            }
            out.put((byte) '\n');
        }
        return Arrays.copyOf(out.buf, out.size);
    }

    private void put(byte b) {
        if (size == buf.length) {
            grow(1);
        }
        buf[size++] = b;
    }

    private void putInt(int v) {
        if (buf.length - size < 11) {
            grow(11);
        }
        if (v < 0) {
            if (v == Integer.MIN_VALUE) {
                for (byte b : Integer.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                    buf[size++] = b;
                }
                return;
            }
            buf[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (int t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int p = end - 1; p >= size; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size = end;
    }

    private void grow(int atLeast) {
        long want = Math.max((long) buf.length * 2, (long) size + atLeast);
        if (want > Integer.MAX_VALUE - 16) {
            if ((long) size + atLeast > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("the ids do not fit in one output buffer of 2 GiB; split the input");
            }
            want = Integer.MAX_VALUE - 16;
        }
        buf = Arrays.copyOf(buf, (int) want);
    }
}
