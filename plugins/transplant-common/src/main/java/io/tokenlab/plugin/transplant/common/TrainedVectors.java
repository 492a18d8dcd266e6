package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PPMI + SVD vectors trained on a corpus slice, cached as safetensors in a directory (the data
 * directory's {@code trained-vectors/}), keyed by corpus, slice size, vocabulary and settings. Training
 * a vocabulary on a few megabytes takes seconds to a minute on two cores; the cache makes it once.
 */
public final class TrainedVectors {
    /** Bump when training changes so that stale caches are not reused. */
    private static final String FORMAT = "v1";

    private TrainedVectors() {
    }

    /**
     * The cache directory beside a fetched data set in the data directory ({@code <data>/trained-vectors}),
     * never inside the data set's own verified directory.
     */
    public static Path cacheBeside(Path fetchedDataSet, String dataSetName) {
        Path p = fetchedDataSet.toAbsolutePath().normalize();
        for (Path q = p; q != null; q = q.getParent()) {
            if (q.getFileName() != null && q.getFileName().toString().equals(dataSetName) && q.getParent() != null) {
                return q.getParent().resolve("trained-vectors");
            }
        }
        return p.getParent().resolve("trained-vectors");
    }

    /** Vectors for every id of a tokenizer's vocabulary (rare ids get zero rows). */
    public static EmbeddingTable forTokenizer(Tokenizer tokenizer, String tokenizerName, Path corpus, String corpusName,
                                              long maxBytes, PpmiSvdTrainer.Settings settings, Path cacheDir,
                                              Compute compute, Progress progress) throws IOException {
        Path cached = cacheDir.resolve(safe(corpusName) + "-" + maxBytes + "-" + safe(tokenizerName) + "-"
                + settings.key() + "-" + FORMAT + ".safetensors");
        if (Files.isRegularFile(cached)) {
            return TableFiles.read(cached, null);
        }
        List<String> paragraphs = CorpusSlice.paragraphs(corpus, maxBytes);
        List<int[]> sequences = encodeAll(tokenizer, paragraphs);
        EmbeddingTable table = PpmiSvdTrainer.train(TokenStrings.vocabulary(tokenizer), sequences, settings, compute,
                progress);
        TableFiles.write(cached, table);
        return table;
    }

    /** Vectors for the words of the corpus slice that occur at least {@code minCount} times. */
    public static EmbeddingTable forWords(Path corpus, String corpusName, long maxBytes,
                                          PpmiSvdTrainer.Settings settings, Path cacheDir, Compute compute,
                                          Progress progress) throws IOException {
        Path cached = cacheDir.resolve(safe(corpusName) + "-" + maxBytes + "-words-" + settings.key() + "-" + FORMAT
                + ".safetensors");
        if (Files.isRegularFile(cached)) {
            return TableFiles.read(cached, null);
        }
        WordSequences words = WordSequences.of(CorpusSlice.paragraphs(corpus, maxBytes));
        EmbeddingTable all = PpmiSvdTrainer.train(words.vocabulary(), words.sequences(), settings, compute, progress);
        EmbeddingTable table = nonZeroRows(all);
        TableFiles.write(cached, table);
        return table;
    }

    /** The rows that hold a vector (training leaves rare tokens at zero). */
    public static EmbeddingTable nonZeroRows(EmbeddingTable t) {
        List<String> tokens = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        FloatMatrix m = t.vectors();
        for (int i = 0; i < m.rows(); i++) {
            boolean zero = true;
            for (int j = 0; j < m.cols() && zero; j++) {
                zero = m.get(i, j) == 0f;
            }
            if (!zero) {
                tokens.add(t.tokens().get(i));
                rows.add(i);
            }
        }
        return new EmbeddingTable(tokens, m.selectRows(rows.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<int[]> encodeAll(Tokenizer tokenizer, List<String> paragraphs) {
        try {
            return tokenizer.encodeBatch(paragraphs, Math.max(1, Runtime.getRuntime().availableProcessors()));
        } catch (RuntimeException e) {
            // text that spells a special token cannot be encoded plainly; such paragraphs are left out
            List<int[]> out = new ArrayList<>(paragraphs.size());
            for (String p : paragraphs) {
                try {
                    out.add(tokenizer.encode(p));
                } catch (RuntimeException skipped) {
                    out.add(new int[0]);
                }
            }
            return out;
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
