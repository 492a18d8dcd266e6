package io.tokenlab.plugin.image.common;

import java.io.ByteArrayOutputStream;

/**
 * A byte-oriented range coder with adaptive frequency models (the carry-less scheme of Subbotin):
 * the entropy-coded size of token streams is measured by actually coding them, and decoding them
 * back is part of the tests.
 */
public final class RangeCoder {
    private static final long TOP = 1L << 24;
    private static final long BOTTOM = 1L << 16;
    private static final long MASK = 0xFFFFFFFFL;

    private RangeCoder() {
    }

    /** Adaptive symbol frequencies; the total is kept below 2^16 as the coder needs. */
    public static final class Model {
        private static final int INCREMENT = 24;
        private static final int LIMIT = 1 << 16;
        private final int[] frequency;
        private int total;

        public Model(int symbols) {
            if (symbols < 1 || symbols > 4096) {
                throw new IllegalArgumentException("model of " + symbols + " symbols");
            }
            frequency = new int[symbols];
            java.util.Arrays.fill(frequency, 1);
            total = symbols;
        }

        public int symbols() {
            return frequency.length;
        }

        int cumulative(int symbol) {
            int c = 0;
            for (int i = 0; i < symbol; i++) {
                c += frequency[i];
            }
            return c;
        }

        void update(int symbol) {
            frequency[symbol] += INCREMENT;
            total += INCREMENT;
            if (total >= LIMIT) {
                total = 0;
                for (int i = 0; i < frequency.length; i++) {
                    frequency[i] = (frequency[i] + 1) / 2;
                    total += frequency[i];
                }
            }
        }
    }

    public static final class Encoder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long low;
        private long range = MASK;

        public void encode(Model model, int symbol) {
            if (symbol < 0 || symbol >= model.symbols()) {
                throw new IllegalArgumentException("symbol " + symbol + " outside 0.." + (model.symbols() - 1));
            }
            int cum = model.cumulative(symbol);
            range /= model.total;
            low = (low + cum * range) & MASK;
            range *= model.frequency[symbol];
            normalize();
            model.update(symbol);
        }

        private void normalize() {
            while (true) {
                if (((low ^ (low + range)) & MASK) >= TOP || (low + range) > MASK) {
                    if (range >= BOTTOM) {
                        break;
                    }
                    range = (-low) & (BOTTOM - 1);
                }
                out.write((int) (low >>> 24));
                low = (low << 8) & MASK;
                range = (range << 8) & MASK;
            }
        }

        public byte[] finish() {
            for (int i = 0; i < 4; i++) {
                out.write((int) (low >>> 24));
                low = (low << 8) & MASK;
            }
            return out.toByteArray();
        }
    }

    public static final class Decoder {
        private final byte[] in;
        private int position;
        private long low;
        private long range = MASK;
        private long code;

        public Decoder(byte[] in) {
            this.in = in;
            for (int i = 0; i < 4; i++) {
                code = ((code << 8) | next()) & MASK;
            }
        }

        private int next() {
            return position < in.length ? in[position++] & 0xff : 0;
        }

        public int decode(Model model) {
            range /= model.total;
            long value = ((code - low) & MASK) / range;
            if (value >= model.total) {
                throw new IllegalArgumentException("corrupt entropy-coded stream at byte " + position);
            }
            int symbol = 0;
            int cum = 0;
            while (cum + model.frequency[symbol] <= value) {
                cum += model.frequency[symbol];
                symbol++;
            }
            low = (low + cum * range) & MASK;
            range *= model.frequency[symbol];
            while (true) {
                if (((low ^ (low + range)) & MASK) >= TOP || (low + range) > MASK) {
                    if (range >= BOTTOM) {
                        break;
                    }
                    range = (-low) & (BOTTOM - 1);
                }
                code = ((code << 8) | next()) & MASK;
                low = (low << 8) & MASK;
                range = (range << 8) & MASK;
            }
            model.update(symbol);
            return symbol;
        }
    }
}
