package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Primitive arrays to and from one byte buffer, each as its length then its elements (little-endian),
 * copied in bulk: what the binary vocabulary cache is made of.
 */
final class BinaryArrays {
    private BinaryArrays() {
    }

    /** Collects arrays, then lays them out in one buffer. */
    static final class Writer {
        private final List<Object> arrays = new ArrayList<>();
        private long size;

        Writer bytes(byte[] a) {
            return add(a, a.length);
        }

        Writer booleans(boolean[] a) {
            return add(a, a.length);
        }

        Writer ints(int[] a) {
            return add(a, 4L * a.length);
        }

        Writer longs(long[] a) {
            return add(a, 8L * a.length);
        }

        private Writer add(Object a, long bytes) {
            arrays.add(a);
            size += 8 + ((bytes + 7) & ~7L); // each array starts 8-aligned, so bulk views stay aligned
            return this;
        }

        long size() {
            return size;
        }

        void writeTo(ByteBuffer out) {
            out.order(ByteOrder.LITTLE_ENDIAN);
            for (Object a : arrays) {
                if (a instanceof byte[]) {
                    byte[] b = (byte[]) a;
                    out.putLong(b.length).put(b);
                } else if (a instanceof boolean[]) {
                    boolean[] b = (boolean[]) a;
                    out.putLong(b.length);
                    for (boolean v : b) {
                        out.put((byte) (v ? 1 : 0));
                    }
                } else if (a instanceof int[]) {
                    int[] b = (int[]) a;
                    out.putLong(b.length);
                    out.asIntBuffer().put(b);
                    out.position(out.position() + 4 * b.length);
                } else {
                    long[] b = (long[]) a;
                    out.putLong(b.length);
                    out.asLongBuffer().put(b);
                    out.position(out.position() + 8 * b.length);
                }
                while ((out.position() & 7) != 0) {
                    out.put((byte) 0);
                }
            }
        }
    }

    /** Reads arrays in the order they were written; a length that runs past the end throws. */
    static final class Reader {
        private final ByteBuffer in;

        Reader(ByteBuffer in) {
            this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        }

        byte[] bytes() {
            byte[] a = new byte[length(1)];
            in.get(a);
            align();
            return a;
        }

        boolean[] booleans() {
            boolean[] a = new boolean[length(1)];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.get() != 0;
            }
            align();
            return a;
        }

        int[] ints() {
            int[] a = new int[length(4)];
            in.asIntBuffer().get(a);
            in.position(in.position() + 4 * a.length);
            align();
            return a;
        }

        long[] longs() {
            long[] a = new long[length(8)];
            in.asLongBuffer().get(a);
            in.position(in.position() + 8 * a.length);
            align();
            return a;
        }

        boolean atEnd() {
            return !in.hasRemaining();
        }

        private int length(int elementBytes) {
            long n = in.getLong();
            if (n < 0 || n * elementBytes > in.remaining()) {
                throw new IllegalArgumentException("array of " + n + " elements runs past the end");
            }
            return (int) n;
        }

        private void align() {
            in.position(Math.min(in.limit(), (in.position() + 7) & ~7));
        }
    }
}
