package io.tokenlab.plugin.decoder.bytes;

import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.plugin.decoder.common.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact byte-level probabilities from a token-level model (Phan et al. 2024, "Exact byte-level
 * probabilities from tokenized language models for FIM-tasks and model ensembles": the Byte-Token
 * Representation Lemma). The probability that the text continues with bytes x is the total
 * probability of x's cover: the token sequences whose bytes, all but the last token, are a strict
 * prefix of x, and with the last token extend past or reach its end.
 *
 * <p>A {@link State} keeps the cover as hypotheses: token sequences s whose bytes are a prefix of x,
 * each with its probability and the pending bytes u (x = bytes(s)·u) the next token must start
 * with. Then P(next byte b | x) ∝ Σ_s P(s)·Σ_{t starts with u·b} p(t | s), and the end of text has
 * mass Σ_{s with u empty} P(s)·p(end | s); together they sum to P(cover(x)), so the 257 outcomes
 * are a distribution. Every encoding counts, canonical or not, because the token model gives each
 * some probability: that is what makes the result exact for the model rather than for its
 * tokenizer.
 *
 * <p>Hypotheses whose last {@code window} tokens and pending bytes agree are merged (exact for a
 * model that looks back at most {@code window} tokens, as an n-gram model of order window+1 does;
 * 0 never merges). At most {@code beam} hypotheses are kept, the lightest dropped first; the mass
 * dropped is reported, and it is zero whenever the beam is not reached.
 */
final class ByteLevelModel {
    private final LanguageModel model;
    private final TokenByteIndex index;
    private final int window;
    private final int beam;

    ByteLevelModel(LanguageModel model, Vocabulary vocabulary, int window, int beam) {
        this.model = model;
        this.index = new TokenByteIndex(vocabulary);
        this.window = window;
        this.beam = beam;
    }

    /** One cover hypothesis: tokens so far, where its pending bytes start in x, and its probability. */
    private static final class Hypothesis {
        final int[] tokens;
        final int pendingFrom;
        double mass;
        /** p(token | tokens), exponentiated once: a hypothesis is read at several byte positions. */
        double[] row;

        Hypothesis(int[] tokens, int pendingFrom, double mass) {
            this.tokens = tokens;
            this.pendingFrom = pendingFrom;
            this.mass = mass;
        }
    }

    /** The bytes read so far and their cover. Immutable to callers: {@link #advance} returns a new state. */
    final class State {
        final byte[] text;
        final List<Hypothesis> hypotheses;
        /** log P(text | start): the normalisers taken out along the way. */
        final double logProbability;
        final double droppedMass;
        private double[] nextByte;

        private State(byte[] text, List<Hypothesis> hypotheses, double logProbability, double droppedMass) {
            this.text = text;
            this.hypotheses = hypotheses;
            this.logProbability = logProbability;
            this.droppedMass = droppedMass;
        }

        int hypothesisCount() {
            return hypotheses.size();
        }

        /** P(next byte) for bytes 0..255, and at index 256 P(end of text); sums to 1. */
        double[] nextByte() {
            if (nextByte == null) {
                nextByte = computeNextByte();
            }
            return nextByte.clone();
        }

        private double[] computeNextByte() {
            double[] mass = new double[257];
            ensureRows();
            for (Hypothesis h : hypotheses) {
                int pending = text.length - h.pendingFrom;
                int[] range = index.range(text, h.pendingFrom, text.length);
                for (int i = range[0]; i < range[1]; i++) {
                    byte[] tb = index.bytes(i);
                    if (tb.length > pending) {
                        mass[tb[pending] & 0xff] += h.mass * h.row[index.id(i)];
                    }
                }
                if (pending == 0 && index.endToken() >= 0) {
                    mass[256] += h.mass * h.row[index.endToken()];
                }
            }
            double total = 0;
            for (double m : mass) {
                total += m;
            }
            for (int b = 0; b < mass.length; b++) {
                mass[b] /= total;
            }
            return mass;
        }

        /** The state after one more byte; its {@code logProbability} adds log P(b | text). */
        State advance(int b) {
            double[] next = nextByte();
            if (next[b] <= 0) {
                return new State(append(text, b), List.of(), Double.NEGATIVE_INFINITY, droppedMass);
            }
            byte[] longer = append(text, b);
            Map<Object, Hypothesis> merged = new HashMap<>();
            List<Hypothesis> out = new ArrayList<>();
            for (Hypothesis h : hypotheses) {
                int[] range = index.range(longer, h.pendingFrom, longer.length);
                if (range[0] == range[1]) {
                    continue; // no token starts with the pending bytes: this reading of x is over
                }
                add(out, merged, new Hypothesis(h.tokens, h.pendingFrom, h.mass), h.row);
                int pending = longer.length - h.pendingFrom;
                for (int i = range[0]; i < range[1] && index.bytes(i).length == pending; i++) {
                    int t = index.id(i);
                    int[] tokens = Arrays.copyOf(h.tokens, h.tokens.length + 1);
                    tokens[h.tokens.length] = t;
                    add(out, merged, new Hypothesis(tokens, longer.length, h.mass * h.row[t]), null);
                }
            }
            double total = 0;
            for (Hypothesis h : out) {
                total += h.mass;
            }
            double dropped = 0;
            if (out.size() > beam) {
                out.sort((x, y) -> Double.compare(y.mass, x.mass));
                for (Hypothesis h : out.subList(beam, out.size())) {
                    dropped += h.mass;
                }
                out = new ArrayList<>(out.subList(0, beam));
            }
            for (Hypothesis h : out) {
                h.mass /= total;
            }
            // the hypotheses' total is P(cover(text·b)) relative to P(cover(text)) = 1, i.e. P(b | text)
            return new State(longer, out, logProbability + Math.log(next[b]), droppedMass + dropped / total);
        }

        /** log P(bytes follow | text), exactly, as a sum of next-byte log-probabilities. */
        double logProbabilityOf(byte[] continuation) {
            State s = this;
            for (byte c : continuation) {
                s = s.advance(c & 0xff);
                if (s.logProbability == Double.NEGATIVE_INFINITY) {
                    return Double.NEGATIVE_INFINITY;
                }
            }
            return s.logProbability - logProbability;
        }

        private void ensureRows() {
            List<Hypothesis> missing = new ArrayList<>();
            for (Hypothesis h : hypotheses) {
                if (h.row == null) {
                    missing.add(h);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            int[][] contexts = new int[missing.size()][];
            for (int i = 0; i < contexts.length; i++) {
                contexts[i] = missing.get(i).tokens;
            }
            float[][] rows = model.logProbabilities(contexts);
            for (int i = 0; i < rows.length; i++) {
                double[] p = new double[rows[i].length];
                for (int t = 0; t < p.length; t++) {
                    p[t] = Math.exp(rows[i][t]);
                }
                missing.get(i).row = p;
            }
        }
    }

    private void add(List<Hypothesis> out, Map<Object, Hypothesis> merged, Hypothesis h, double[] row) {
        h.row = row;
        if (window <= 0) {
            out.add(h);
            return;
        }
        int from = Math.max(0, h.tokens.length - window);
        List<Integer> key = new ArrayList<>(window + 1);
        for (int i = from; i < h.tokens.length; i++) {
            key.add(h.tokens[i]);
        }
        key.add(-1 - h.pendingFrom);
        Hypothesis same = merged.get(key);
        if (same == null) {
            merged.put(key, h);
            out.add(h);
        } else {
            same.mass += h.mass;
        }
    }

    private static byte[] append(byte[] a, int b) {
        byte[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = (byte) b;
        return out;
    }

    /** The empty text after a fixed token context (the exact method's start, and the naive method's). */
    State start(int[] context) {
        return new State(new byte[0], new ArrayList<>(List.of(new Hypothesis(context.clone(), 0, 1.0))), 0.0, 0.0);
    }

    /** Exact: the text after the context is read byte by byte, every encoding of it counted. */
    State exact(int[] context, byte[] text) {
        State s = start(context);
        for (byte b : text) {
            s = s.advance(b & 0xff);
        }
        return s;
    }

    /**
     * Token healing (as in guidance): the prompt's last token is backed off and the next token must
     * start with its bytes; after it, decoding is normal. As a state: one hypothesis with those bytes
     * pending, plus the one whose token is exactly them.
     */
    State healed(int[] contextWithoutLast, byte[] lastTokenBytes) {
        Hypothesis pending = new Hypothesis(contextWithoutLast.clone(), 0, 1.0);
        State s = new State(lastTokenBytes.clone(), new ArrayList<>(List.of(pending)), 0.0, 0.0);
        s.ensureRows();
        // the masses of the covering tokens become the normaliser, so the state's total is 1
        int[] range = index.range(lastTokenBytes, 0, lastTokenBytes.length);
        double total = 0;
        for (int i = range[0]; i < range[1]; i++) {
            total += pending.row[index.id(i)];
        }
        List<Hypothesis> hypotheses = new ArrayList<>();
        Map<Object, Hypothesis> merged = new HashMap<>();
        add(hypotheses, merged, new Hypothesis(pending.tokens, 0, 1.0), pending.row);
        for (int i = range[0]; i < range[1] && index.bytes(i).length == lastTokenBytes.length; i++) {
            int t = index.id(i);
            int[] tokens = Arrays.copyOf(pending.tokens, pending.tokens.length + 1);
            tokens[pending.tokens.length] = t;
            add(hypotheses, merged, new Hypothesis(tokens, lastTokenBytes.length, pending.row[t] / total), null);
        }
        // the pending hypothesis alone already covers every token extending the bytes (mass 1 / total each)
        hypotheses.get(0).mass = 1.0 / total;
        return new State(lastTokenBytes.clone(), hypotheses, 0.0, 0.0);
    }
}
