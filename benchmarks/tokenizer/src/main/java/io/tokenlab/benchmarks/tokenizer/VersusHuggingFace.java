package io.tokenlab.benchmarks.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * tokenizer/bpe against Hugging Face's Rust tokenizers (through DJL) in one JVM on the same real
 * English, per tokenizer.json family: a byte-level BPE file (Qwen 3) and a WordPiece file
 * (all-MiniLM-L6-v2). Prints MB/s single-threaded and as a batch on 2 threads, and the ratios.
 * Each figure is the best of a few timed passes after a warm-up pass; token counts are printed
 * to show both did the same work.
 */
public final class VersusHuggingFace {
    private static final int PASSES = 3;

    private VersusHuggingFace() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) * 1024 * 1024 : 8L * 1024 * 1024;
        List<String> docs = Corpus.documents(bytes);
        long total = Corpus.utf8Bytes(docs);
        System.out.printf("corpus: linux-doc, %d documents, %.1f MB%n", docs.size(), total / 1e6);
        for (String name : new String[] {"qwen3", "all-minilm-l6-v2"}) {
            Path file = Corpus.CATALOG.fetch(name);
            Tokenizer ours = Corpus.tokenlab(name);
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                    .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
                double[] single = {Double.MAX_VALUE, Double.MAX_VALUE};
                double[] batch = {Double.MAX_VALUE, Double.MAX_VALUE};
                long[] tokens = new long[2];
                for (int pass = 0; pass <= PASSES; pass++) {
                    long t0 = System.nanoTime();
                    long n = 0;
                    for (String d : docs) {
                        n += ours.encode(d, Set.of()).length;
                    }
                    long t1 = System.nanoTime();
                    long m = 0;
                    for (String d : docs) {
                        m += hf.encode(d, false, false).getIds().length;
                    }
                    long t2 = System.nanoTime();
                    ours.encodeBatch(docs, 2);
                    long t3 = System.nanoTime();
                    hf.batchEncode(docs, false, false);
                    long t4 = System.nanoTime();
                    if (pass > 0) {
                        single[0] = Math.min(single[0], (t1 - t0) / 1e9);
                        single[1] = Math.min(single[1], (t2 - t1) / 1e9);
                        batch[0] = Math.min(batch[0], (t3 - t2) / 1e9);
                        batch[1] = Math.min(batch[1], (t4 - t3) / 1e9);
                    }
                    tokens[0] = n;
                    tokens[1] = m;
                }
                double mb = total / 1e6;
                System.out.printf("%-17s single: tokenlab %6.1f MB/s  HF %6.1f MB/s  ratio %.2fx | batch(2): tokenlab %6.1f MB/s"
                                + "  HF %6.1f MB/s  ratio %.2fx | tokens %d vs %d%s%n", name, mb / single[0], mb / single[1],
                        single[1] / single[0], mb / batch[0], mb / batch[1], batch[1] / batch[0], tokens[0], tokens[1],
                        tokens[0] == tokens[1] ? " (equal)" : " (DIFFERENT)");
            }
        }
    }
}
