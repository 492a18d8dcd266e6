package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Insertion language models on real text: a byte transformer trained to insert the missing bytes of
 * linux-doc windows, decoding from required words of held-out text, beside left-to-right generation by
 * the standard causal model of the same size ({@link TrainedBytes}; the insertion model's 1600 steps of
 * 8 x 64 bytes give as many byte targets and token passes as its 400 steps of 8 x 128). Every output is
 * scored in bits per byte by that causal model. The mechanism is probed on one-byte deletions of held-out
 * windows; which assertion catches which removal (each tried):
 * <ul>
 *   <li>attention causal instead of both ways: a gap's scores no longer see the bytes after it, so the
 *       deleted byte is predicted exactly as well with a foreign right context as with its own
 *       ({@code rightContextGain} 0.000 instead of 0.09; asserted above 0.015);</li>
 *   <li>the (gap, byte) target replaced by one that ignores the gap (each missing byte's mass spread over
 *       all gaps): the deleted byte is no likelier at its own gap than at any other
 *       ({@code gapSpecificity} -0.01 instead of 0.33; asserted above 0.15).</li>
 * </ul>
 * At this scale neither removal moves the decoded texts' likelihood much (greedy insertion fills in mostly
 * spaces, as greedy left-to-right decoding does), so the likelihood assertions check training itself:
 * greedy and sampled insertion read better to the causal model than random insertion, greedy insertion
 * better than the untrained model's. Every insertion output keeps its required words: by construction.
 */
class InsertionLanguageModelTest {
    private static final int STEPS = Integer.getInteger("insertion.steps", 1600);
    private static final int BATCH = Integer.getInteger("insertion.batch", 8);
    private static final int WINDOW = Integer.getInteger("insertion.window", 64);
    private static final int EXAMPLES = Integer.getInteger("insertion.examples", 12);
    private static final int WORDS = 3;
    private static final Pattern WORD = Pattern.compile("[A-Za-z]{4,}");

    @Test
    void jointHeadGradientsMatchFiniteDifferences() {
        Compute compute = new io.tokenlab.runtime.compute.scalar.ScalarCompute();
        TransformerConfig config = new TransformerConfig(11, 8, 2, 2, 8, 12, 1e-5f, 0);
        TensorSet parameters = InsertionLanguageModel.initialise(config, 4);
        parameters.tensors().forEach((name, m) -> {
            for (int i = 0; i < m.data().length; i++) {
                m.data()[i] *= name.contains("norm") ? 1 : 25;
            }
        });
        InsertionLanguageModel model = new InsertionLanguageModel(compute, parameters);
        List<InsertionLanguageModel.Partial> batch = List.of(
                // two bytes missing from one gap, one from another, and a pair missing twice
                new InsertionLanguageModel.Partial(new int[]{0, 3, 5, 7}, new int[]{1, 1, 3, 0, 0},
                        new int[]{4, 9, 2, 6, 6}),
                // complete: stop is the target
                new InsertionLanguageModel.Partial(new int[]{0, 8, 2}, new int[0], new int[0]),
                new InsertionLanguageModel.Partial(new int[]{0, 1, 2, 3, 4, 5, 6}, new int[]{5}, new int[]{10}));
        TensorSet grads = parameters.zerosLike();
        model.loss(batch, grads);
        Random random = new Random(3);
        for (Map.Entry<String, FloatMatrix> e : parameters.tensors().entrySet()) {
            float[] p = e.getValue().data();
            for (int k = 0; k < 3; k++) {
                int i = random.nextInt(p.length);
                FiniteDifferences.check(e.getKey() + "[" + i + "]", grads.tensor(e.getKey()).data()[i], p, i,
                        () -> model.loss(batch, null), 3e-3, 2e-2);
            }
        }
    }

    @Test
    void dropKeepsOrderAndNamesTheGapsThatRestoreTheWindow() {
        int[] window = {0, 10, 11, 12, 13, 14, 15};
        InsertionLanguageModel.Partial p = InsertionLanguageModel.partialWithout(window,
                new boolean[]{false, true, false, true, true, false, true});
        assertThat(p.tokens()).containsExactly(0, 11, 14);
        assertThat(p.missingGap()).containsExactly(0, 1, 1, 2);
        assertThat(p.missingToken()).containsExactly(10, 12, 13, 15);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[window.length];
        for (int r = 0; r < 7_000; r++) {
            counts[InsertionLanguageModel.drop(window, random).missing()]++;
        }
        for (int c : counts) {
            assertThat(c).as("how many dropped: uniform in 0..6").isBetween(850, 1150);
        }
    }

    @Test
    void insertionFromRequiredWordsKeepsThemAndReadsAsText() throws Exception {
        TrainedBytes base = TrainedBytes.get();
        int start = base.start;
        int offset = TrainedBytes.VOCABULARY - 256;
        TransformerConfig config = base.weights.config();
        // the causal model's budget: 400 steps of 8 x 128 bytes make 409,600 byte targets and as many token
        // passes; 1600 steps of 8 x 64 bytes, half of each window dropped on average, make the same
        Trainer.Settings settings = new Trainer.Settings(STEPS, BATCH, 3e-3, 3e-4, 40, 0.1, 1.0, 1);
        InsertionLanguageModel.Trained trained = InsertionLanguageModel.train(RealRuns.COMPUTE,
                InsertionLanguageModel.initialise(config, 1),
                base.corpus.training(), WINDOW, settings, System.out::println);
        InsertionLanguageModel ilm = trained.model();
        InsertionLanguageModel untrained = new InsertionLanguageModel(RealRuns.COMPUTE,
                InsertionLanguageModel.initialise(config, 99));
        int[][] windows = Arrays.stream(Trainer.evaluationWindows(base.corpus.heldOut(), WINDOW + 1, start))
                .filter(w -> w.length == WINDOW + 1).toArray(int[][]::new);

        // the mechanism, on one-byte deletions of held-out windows
        double rightContextGain = 0;
        double gapSpecificity = 0;
        double localisation = 0;
        int probes = Math.min(128, windows.length / 2);
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < probes; k++) {
            int[] w = windows[k];
            int[] foreign = windows[windows.length - 1 - k];
            int p = 1 + random.nextInt(WINDOW);
            boolean[] dropped = new boolean[w.length];
            dropped[p] = true;
            InsertionLanguageModel.Partial partial = InsertionLanguageModel.partialWithout(w, dropped);
            int gap = p - 1;
            int[] swapped = partial.tokens().clone();
            System.arraycopy(foreign, gap + 2, swapped, gap + 1, swapped.length - gap - 1);
            InsertionLanguageModel.Joint joint = ilm.joint(partial.tokens());
            rightContextGain += joint.conditional(gap, w[p]) - ilm.joint(swapped).conditional(gap, w[p]);
            int other = (gap + 1 + random.nextInt(partial.tokens().length - 1)) % partial.tokens().length;
            gapSpecificity += joint.conditional(gap, w[p]) - joint.conditional(other, w[p]);
            localisation += restoringGapGain(joint, partial.tokens(), w);
        }
        rightContextGain /= probes;
        gapSpecificity /= probes;
        localisation /= probes;
        System.out.printf(Locale.ROOT, "insertion-mechanism\t%.4f\t%.4f\t%.4f\t%d%n", rightContextGain, gapSpecificity,
                localisation, probes);

        // constrained infilling
        String[] methods = {"insertion (greedy)", "insertion (sampling)", "insertion, untrained (greedy)",
                "random insertion", "left-to-right sampling, unconstrained", "left-to-right greedy, words forced",
                "left-to-right sampling, words forced", "original held-out text"};
        int[] satisfied = new int[methods.length];
        double[] bits = new double[methods.length];
        int examples = 0;
        Random choice = new Random(7);
        double[] unigram = unigram(base.corpus.training(), offset);
        for (int[] w : windows) {
            if (examples == EXAMPLES) {
                break;
            }
            String original = text(Arrays.copyOfRange(w, 1, w.length), offset);
            List<String> words = requiredWords(original, choice);
            if (words == null) {
                continue;
            }
            int[][] outputs = new int[methods.length][];
            Required required = Required.of(words, start, offset);
            outputs[0] = ilm.insertGreedily(required.tokens, required.open, offset, WINDOW + 1 + 16, 0.5);
            outputs[1] = ilm.insertSampled(required.tokens, required.open, offset, WINDOW + 1 + 16, 0.5,
                    new Random(17 + examples));
            outputs[2] = untrained.insertGreedily(required.tokens, required.open, offset, WINDOW + 1 + 16, 0.5);
            int length = outputs[0].length;
            outputs[3] = insertRandomly(required, length, unigram, offset, new Random(11 + examples));
            outputs[4] = sample(base.model, start, length - 1, new Random(13 + examples));
            outputs[5] = withWordsForced(base.model, start, words, offset, length - 1, null);
            outputs[6] = withWordsForced(base.model, start, words, offset, length - 1, new Random(19 + examples));
            outputs[7] = w;
            for (int m = 0; m < methods.length; m++) {
                String produced = text(Arrays.copyOfRange(outputs[m], 1, outputs[m].length), offset);
                boolean ok = containsInOrder(produced, words);
                satisfied[m] += ok ? 1 : 0;
                double b = bitsPerByte(base.weights, outputs[m]);
                bits[m] += b;
                System.out.printf(Locale.ROOT, "insertion-example\t%d\t%s\t%s\t%b\t%.4f\t%s%n", examples, methods[m],
                        String.join(" ", words), ok, b, escape(produced));
            }
            for (int m = 0; m < 3; m++) {
                assertThat(containsInOrder(text(Arrays.copyOfRange(outputs[m], 1, outputs[m].length), offset), words))
                        .as(methods[m] + " keeps the required words").isTrue();
            }
            examples++;
        }
        for (int m = 0; m < methods.length; m++) {
            bits[m] /= examples;
            System.out.printf(Locale.ROOT, "insertion-row\t%d\t%s\t%d\t%d\t%.4f\t%d\t%.4f\t%.4f%n", m, methods[m],
                    satisfied[m], examples, bits[m], STEPS, trained.firstLoss(), trained.lastLoss());
        }
        assertThat(rightContextGain).as("missing byte: own right context vs a foreign one (nats)").isGreaterThan(0.015);
        assertThat(gapSpecificity).as("missing byte: at its own gap vs another gap (nats)").isGreaterThan(0.15);
        assertThat(bits[0]).as("bits/byte: insertion vs random insertion").isLessThan(bits[3] - 0.5);
        assertThat(bits[0]).as("bits/byte: insertion vs untrained insertion").isLessThan(bits[2] - 0.5);
        assertThat(bits[1]).as("bits/byte: sampled insertion vs random insertion").isLessThan(bits[3]);
    }

    /** Required words, space-separated after the start token; gaps inside a word closed so it stays whole. */
    private record Required(int[] tokens, boolean[] open) {
        static Required of(List<String> words, int start, int offset) {
            byte[] joined = String.join(" ", words).getBytes(StandardCharsets.UTF_8);
            int[] tokens = new int[joined.length + 1];
            boolean[] open = new boolean[tokens.length];
            tokens[0] = start;
            open[0] = true;
            for (int i = 0; i < joined.length; i++) {
                tokens[i + 1] = (joined[i] & 0xff) + offset;
                // gap after byte i: open after a space or a word's last byte
                open[i + 1] = joined[i] == ' ' || i + 1 == joined.length || joined[i + 1] == ' ';
            }
            return new Required(tokens, open);
        }
    }

    /** Words of four letters or more from {@code text}, {@value WORDS} of them at random, in order; null if too few. */
    private static List<String> requiredWords(String text, Random random) {
        List<String> all = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            // a word cut by the window's edges is not a word of the text
            if (m.start() > 0 && m.end() < text.length()) {
                all.add(m.group());
            }
        }
        if (all.size() < WORDS) {
            return null;
        }
        List<Integer> picked = new ArrayList<>();
        while (picked.size() < WORDS) {
            int i = random.nextInt(all.size());
            if (!picked.contains(i)) {
                picked.add(i);
            }
        }
        picked.sort(null);
        return picked.stream().map(all::get).toList();
    }

    /** Whether the words occur in {@code text} in order, each after the previous one ends. */
    static boolean containsInOrder(String text, List<String> words) {
        int from = 0;
        for (String word : words) {
            int at = text.indexOf(word, from);
            if (at < 0) {
                return false;
            }
            from = at + word.length();
        }
        return true;
    }

    /**
     * Where the model thinks a byte is missing: the probability (the joint summed over every byte) of
     * the gaps where inserting the deleted byte gives {@code window} back, over the share of such gaps
     * (a run of equal bytes has several); 1 for a model that cannot tell where.
     */
    private static double restoringGapGain(InsertionLanguageModel.Joint joint, int[] partial, int[] window) {
        double p = 0;
        int restoring = 0;
        int v = joint.vocabulary();
        for (int g = 0; g < partial.length; g++) {
            int[] restored = new int[window.length];
            System.arraycopy(partial, 0, restored, 0, g + 1);
            System.arraycopy(partial, g + 1, restored, g + 2, partial.length - g - 1);
            restored[g + 1] = window[g + 1];
            if (Arrays.equals(restored, window)) {
                restoring++;
                for (int t = 0; t < v; t++) {
                    p += Math.exp(joint.logProbabilities()[g * v + t]);
                }
            }
        }
        return p / ((double) restoring / partial.length);
    }

    /** Random bytes (by the corpus's byte frequencies) into random open gaps until {@code length} tokens. */
    private static int[] insertRandomly(Required required, int length, double[] unigram, int offset, Random random) {
        List<Integer> sequence = new ArrayList<>();
        List<Boolean> open = new ArrayList<>();
        for (int i = 0; i < required.tokens.length; i++) {
            sequence.add(required.tokens[i]);
            open.add(required.open[i]);
        }
        while (sequence.size() < length) {
            int gap;
            do {
                gap = random.nextInt(sequence.size());
            } while (!open.get(gap));
            double r = random.nextDouble();
            int b = 0;
            while (b < 255 && r >= unigram[b]) {
                r -= unigram[b];
                b++;
            }
            sequence.add(gap + 1, b + offset);
            open.add(gap + 1, true);
        }
        return sequence.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Left-to-right sampling at temperature 1 from the start token, {@code bytes} bytes. */
    private static int[] sample(TransformerLanguageModel model, int start, int bytes, Random random) {
        List<Integer> out = new ArrayList<>(List.of(start));
        generate(model, out, bytes, model.vocabularySize() - 256, random);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Left-to-right generation of {@code bytes} bytes, greedy (or sampled with {@code random}), that
     * appends the required words itself: the free bytes are split evenly before, between and after
     * them, and each word goes in after a space (unless the text already ends in one) once its share
     * of free bytes is generated.
     */
    private static int[] withWordsForced(TransformerLanguageModel model, int start, List<String> words, int offset,
                                         int bytes, Random random) {
        int forcedBytes = words.stream().mapToInt(w -> w.length() + 1).sum();
        int share = Math.max(0, (bytes - forcedBytes) / (words.size() + 1));
        List<Integer> out = new ArrayList<>(List.of(start));
        for (String word : words) {
            generate(model, out, share, offset, random);
            if (out.get(out.size() - 1) != ' ' + offset) {
                out.add(' ' + offset);
            }
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                out.add((b & 0xff) + offset);
            }
        }
        generate(model, out, bytes + 1 - out.size(), offset, random);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Appends {@code bytes} bytes: the most likely each time, or drawn at temperature 1 with {@code random}. */
    private static void generate(TransformerLanguageModel model, List<Integer> out, int bytes, int offset,
                                 Random random) {
        for (int i = 0; i < bytes; i++) {
            float[] logp = model.logProbabilities(out.stream().mapToInt(Integer::intValue).toArray());
            out.add(random == null ? argmax(logp, offset) : draw(logp, offset, random));
        }
    }

    private static int argmax(float[] logp, int offset) {
        int best = offset;
        for (int t = offset; t < logp.length; t++) {
            best = logp[t] > logp[best] ? t : best;
        }
        return best;
    }

    /** A byte drawn from the model's distribution over the bytes (the special tokens left out). */
    private static int draw(float[] logp, int offset, Random random) {
        double total = 0;
        for (int t = offset; t < logp.length; t++) {
            total += Math.exp(logp[t]);
        }
        double r = random.nextDouble() * total;
        int t = offset;
        while (t < logp.length - 1 && (r -= Math.exp(logp[t])) >= 0) {
            t++;
        }
        return t;
    }

    /** Bits per byte of {@code tokens} (start token first) under the causal model. */
    private static double bitsPerByte(ModelWeights causal, int[] tokens) {
        Batch batch = Batch.ofWindows(new int[][]{tokens}, causal.config().context());
        return new TrainingPass(RealRuns.COMPUTE, causal, batch).forward() / Math.log(2);
    }

    private static double[] unigram(int[][] documents, int offset) {
        double[] counts = new double[256];
        long total = 0;
        for (int[] d : documents) {
            for (int t : d) {
                if (t >= offset && t < offset + 256) {
                    counts[t - offset]++;
                    total++;
                }
            }
        }
        for (int b = 0; b < 256; b++) {
            counts[b] /= total;
        }
        return counts;
    }

    private static String text(int[] tokens, int offset) {
        byte[] b = new byte[tokens.length];
        int n = 0;
        for (int t : tokens) {
            if (t >= offset && t < offset + 256) {
                b[n++] = (byte) (t - offset);
            }
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    }
}
