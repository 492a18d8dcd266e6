package io.tokenlab.benchmarks.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.plugin.tokenizer.bpe.SentencePieceConversion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * tokenizer/bpe against Hugging Face's Rust tokenizers (through DJL) in one JVM on the same real
 * English lines, one tokenizer.json per family: byte-level BPE (Qwen 3), WordPiece
 * (all-MiniLM-L6-v2) and Unigram (an 8k spm_train model on the same corpus, converted as Hugging
 * Face's T5 converter does). Prints MB/s single-threaded (one line per call) and as a batch on 2
 * threads, and the ratios. Each figure is the best of a few timed passes after a warm-up pass;
 * token counts show both did the same work.
 */
public final class VersusHuggingFace {
    private static final int PASSES = 3;

    private VersusHuggingFace() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) * 1024 * 1024 : 8L * 1024 * 1024;
        List<String> lines = new ArrayList<>();
        for (String doc : Corpus.documents(bytes)) {
            for (String line : doc.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        long total = 0;
        for (String line : lines) {
            total += line.getBytes(StandardCharsets.UTF_8).length;
        }
        System.out.printf("corpus: linux-doc, %d lines, %.1f MB%n", lines.size(), total / 1e6);
        List<String[]> files = new ArrayList<>();
        files.add(new String[] {"qwen3 (BPE)", Corpus.CATALOG.fetch("qwen3").toString()});
        files.add(new String[] {"all-minilm-l6-v2 (WordPiece)", Corpus.CATALOG.fetch("all-minilm-l6-v2").toString()});
        Path unigram = unigramFile(lines);
        if (unigram != null) {
            files.add(new String[] {"spm 8k (Unigram)", unigram.toString()});
        }
        for (String[] f : files) {
            Path file = Path.of(f[1]);
            Tokenizer probe = BpeTechnique.openFile(file.toString(), file, Set.of());
            // HF matches special tokens in the text; so does tokenlab when they are allowed
            Tokenizer ours = BpeTechnique.openFile(file.toString(), file, probe.specialTokens());
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                    .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
                double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
                long[] tokens = new long[2];
                for (int pass = 0; pass <= PASSES; pass++) {
                    long t0 = System.nanoTime();
                    long n = 0;
                    for (String line : lines) {
                        n += ours.encode(line).length;
                    }
                    long t1 = System.nanoTime();
                    long m = 0;
                    for (String line : lines) {
                        m += hf.encode(line, false, false).getIds().length;
                    }
                    long t2 = System.nanoTime();
                    ours.encodeBatch(lines, 2);
                    long t3 = System.nanoTime();
                    hf.batchEncode(lines, false, false);
                    long t4 = System.nanoTime();
                    if (pass > 0) {
                        best[0] = Math.min(best[0], (t1 - t0) / 1e9);
                        best[1] = Math.min(best[1], (t2 - t1) / 1e9);
                        best[2] = Math.min(best[2], (t3 - t2) / 1e9);
                        best[3] = Math.min(best[3], (t4 - t3) / 1e9);
                    }
                    tokens[0] = n;
                    tokens[1] = m;
                }
                double mb = total / 1e6;
                System.out.printf("%-29s single: tokenlab %6.1f MB/s  HF %6.1f MB/s  ratio %.2fx | batch(2): tokenlab %6.1f"
                                + " MB/s  HF %6.1f MB/s  ratio %.2fx | tokens %d vs %d%s%n", f[0], mb / best[0], mb / best[1],
                        best[1] / best[0], mb / best[2], mb / best[3], best[3] / best[2], tokens[0], tokens[1],
                        tokens[0] == tokens[1] ? " (equal)" : " (DIFFERENT)");
            }
        }
    }

    /** An 8k unigram model trained with spm_train on the lines, as tokenizer.json; null without spm_train. */
    private static Path unigramFile(List<String> lines) throws Exception {
        Path dir = Files.createTempDirectory("tokenlab-unigram");
        Path corpus = Files.write(dir.resolve("corpus.txt"), lines, StandardCharsets.UTF_8);
        try {
            Process p = new ProcessBuilder("spm_train", "--input=" + corpus, "--model_prefix=" + dir.resolve("u8k"),
                    "--vocab_size=8000", "--model_type=unigram", "--input_sentence_size=200000", "--num_threads=2",
                    "--minloglevel=2").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("spm_train failed; Unigram left out");
                return null;
            }
        } catch (java.io.IOException e) {
            System.out.println("spm_train not found (Debian package sentencepiece); Unigram left out");
            return null;
        }
        Path json = dir.resolve("u8k.json");
        SentencePieceConversion.writeTokenizerJson(dir.resolve("u8k.model"), "t5", json);
        return json;
    }
}
