package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Progress;
import io.tokenlab.api.TechniqueException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The training procedures that share the merge engine: plain byte-level BPE, SuperBPE's two
 * stages, and the length-capped character BPE of KL3M.
 */
final class BpeTraining {
    /**
     * What every trainer is told: the target size (special tokens included), the stopping count, and
     * the pre-tokenization whose pieces merges never cross (SuperBPE's stage 1 uses it too).
     */
    record Settings(int vocabularySize, long minFrequency, int threads, List<String> specials,
                    PreTokenization preTokenization) {
        Settings(int vocabularySize, long minFrequency, int threads, List<String> specials) {
            this(vocabularySize, minFrequency, threads, specials, PreTokenization.GPT2);
        }

        Settings {
            if (vocabularySize < 256 + specials.size()) {
                throw new InvalidParameterException("vocab.size", "'" + vocabularySize + "' is too small: a byte-level "
                        + "vocabulary needs the 256 bytes and " + specials.size() + " special tokens");
            }
            if (minFrequency < 1) {
                throw new InvalidParameterException("min.frequency", "'" + minFrequency + "' must be at least 1");
            }
        }

        int ordinaryTokens() {
            return vocabularySize - specials.size();
        }
    }

    private BpeTraining() {
    }

    static List<byte[]> singleBytes() {
        List<byte[]> tokens = new ArrayList<>(1 << 16);
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        return tokens;
    }

    /**
     * Counts the corpus's pieces and lays them out as byte-id words for the merge engine. The order
     * of the pieces does not matter: counts are sums and ties between pairs are broken by their ids.
     */
    static MergeEngine countedEngine(Iterable<String> texts, PreTokenization pre, Settings settings, Progress progress,
                                     List<byte[]> tokens, TrainedBpe inheritedMerges) {
        return countedEngine(localCounting(texts, settings, progress).apply(pre), settings, tokens, inheritedMerges);
    }

    /** Counts pieces in this JVM, on the settings' threads. */
    static Function<PreTokenization, PieceTable> localCounting(Iterable<String> texts, Settings settings, Progress progress) {
        return pre -> {
            progress.begin("counting " + pre.name().toLowerCase() + " pieces", 0);
            try {
                return PieceCounter.count(texts, pre, settings.threads(), progress);
            } finally {
                progress.end();
            }
        };
    }

    /** Lays out pieces counted anywhere (this JVM, or a cluster's aggregation) for the merge engine. */
    static MergeEngine countedEngine(PieceTable counts, Settings settings, List<byte[]> tokens, TrainedBpe inheritedMerges) {
        int n = counts.size();
        if (n == 0) {
            throw new TechniqueException("the training corpus is empty");
        }
        long[] frequencies = new long[n];
        int[] wordStart = new int[n];
        int[] wordLength = new int[n];
        // inherited merges are applied to each piece as the final tokenizer will apply them (lowest rank first)
        int[][] merged = inheritedMerges == null ? null : new int[n][];
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, settings.threads()));
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
                if (merged == null) {
                    wordLength[i] = ByteLevel.utf8Length(counts.piece(i)); // the bytes are written in the next pass
                } else {
                    merged[i] = inheritedMerges.mergeBytes(ByteLevel.utf8(counts.piece(i)));
                    wordLength[i] = merged[i].length;
                }
            })).get();
            long total = 0;
            for (int i = 0; i < n; i++) {
                wordStart[i] = (int) total;
                total += wordLength[i];
                frequencies[i] = counts.count(i);
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new TechniqueException("the corpus has " + total + " bytes of distinct pieces; at most "
                        + (Integer.MAX_VALUE - 16) + " fit one training run");
            }
            int[] symbols = new int[(int) total];
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
                if (merged == null) {
                    byte[] bytes = ByteLevel.utf8(counts.piece(i));
                    for (int k = 0; k < bytes.length; k++) {
                        symbols[wordStart[i] + k] = bytes[k] & 0xff;
                    }
                } else {
                    System.arraycopy(merged[i], 0, symbols, wordStart[i], wordLength[i]);
                    merged[i] = null;
                }
            })).get();
            return new MergeEngine(tokens, symbols, wordStart, wordLength, frequencies);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TechniqueException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new TechniqueException("preparing the corpus failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Byte-level BPE with the settings' pre-tokenization. */
    static TrainedBpe bpe(Iterable<String> texts, Settings settings, Progress progress) {
        return filtered(texts, settings, MergeEngine.TokenFilter.ALL, progress);
    }

    /** Byte-level BPE on pieces counted by {@code counting}. */
    static TrainedBpe bpe(Function<PreTokenization, PieceTable> counting, Settings settings, Progress progress) {
        MergeEngine engine = countedEngine(counting.apply(settings.preTokenization()), settings, singleBytes(), null);
        engine.run(settings.ordinaryTokens(), settings.minFrequency(), MergeEngine.TokenFilter.ALL, progress);
        return new TrainedBpe(engine.tokens(), engine.merges(), settings.preTokenization(), settings.specials());
    }

    /** Byte-level BPE whose new tokens must pass {@code filter}. */
    static TrainedBpe filtered(Iterable<String> texts, Settings settings, MergeEngine.TokenFilter filter, Progress progress) {
        MergeEngine engine = countedEngine(texts, settings.preTokenization(), settings, progress, singleBytes(), null);
        engine.run(settings.ordinaryTokens(), settings.minFrequency(), filter, progress);
        return new TrainedBpe(engine.tokens(), engine.merges(), settings.preTokenization(), settings.specials());
    }

    /**
     * SuperBPE (Liu et al. 2025). Stage 1 is plain BPE up to {@code transition} tokens; stage 2 cuts
     * the corpus again with the superword regex, encodes each chunk with the stage-1 merges, and
     * keeps merging (now across single spaces) up to the full size, refusing any token that spans
     * more than {@code maxWords} words or contains ": ". With transition >= vocabulary size the
     * result is plain BPE, file for file.
     */
    static TrainedBpe superBpe(Iterable<String> texts, Settings settings, int transition, int maxWords, Progress progress) {
        return superBpe(localCounting(texts, settings, progress), settings, transition, maxWords, progress);
    }

    /** {@link #superBpe(Iterable, Settings, int, int, Progress)} on pieces counted by {@code counting}. */
    static TrainedBpe superBpe(Function<PreTokenization, PieceTable> counting, Settings settings, int transition,
                               int maxWords, Progress progress) {
        if (transition < 256 + settings.specials().size()) {
            throw new InvalidParameterException("transition", "'" + transition + "' is too small: stage 1 needs at "
                    + "least the 256 bytes and the special tokens");
        }
        if (transition >= settings.vocabularySize()) {
            return bpe(counting, settings, progress);
        }
        MergeEngine stage1 = countedEngine(counting.apply(settings.preTokenization()), settings, singleBytes(), null);
        stage1.run(transition - settings.specials().size(), settings.minFrequency(), MergeEngine.TokenFilter.ALL, progress);
        List<int[]> stage1Merges = List.copyOf(stage1.merges());
        TrainedBpe inherited = new TrainedBpe(stage1.tokens(), stage1Merges, PreTokenization.SUPERWORD, List.of());
        List<byte[]> tokens = new ArrayList<>(stage1.tokens());
        stage1 = null; // the stage-1 words are not needed any more; let them go before stage 2 counts
        MergeEngine stage2 = countedEngine(counting.apply(PreTokenization.SUPERWORD), settings, tokens, inherited);
        stage2.run(settings.ordinaryTokens(), settings.minFrequency(), superwordLimits(maxWords), progress);
        List<int[]> merges = new ArrayList<>(stage1Merges);
        merges.addAll(stage2.merges());
        return new TrainedBpe(stage2.tokens(), merges, PreTokenization.SUPERWORD, settings.specials());
    }

    /** The authors' limits on superword tokens: at most {@code maxWords} words, never ": " inside. */
    static MergeEngine.TokenFilter superwordLimits(int maxWords) {
        return token -> {
            int words = 0;
            boolean inWord = false;
            for (int i = 0; i < token.length; i++) {
                if (token[i] == ':' && i + 1 < token.length && token[i + 1] == ' ') {
                    return false;
                }
                boolean space = token[i] == ' ';
                if (!space && !inWord) {
                    words++;
                }
                inWord = !space;
            }
            return words <= maxWords;
        };
    }

    /** Words of a token as SuperBPE counts them: the non-empty runs between spaces. */
    static int wordCount(byte[] token) {
        int words = 0;
        boolean inWord = false;
        for (byte b : token) {
            boolean space = b == ' ';
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
