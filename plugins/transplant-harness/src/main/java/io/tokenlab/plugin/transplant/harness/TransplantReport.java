package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.plugin.transplant.common.TableFiles;
import io.tokenlab.plugin.transplant.focus.FocusTechnique;
import io.tokenlab.plugin.transplant.fvt.FvtTechnique;
import io.tokenlab.plugin.transplant.mean.MeanTechnique;
import io.tokenlab.plugin.transplant.zero.ZeroTechnique;
import io.tokenlab.plugin.transplant.omp.OmpTechnique;
import io.tokenlab.plugin.transplant.tokenadapt.TokenAdaptTechnique;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every heuristic on the same inputs at both levels and prints the comparison, plus OMP's error for
 * growing k. {@code --write-base FILE.safetensors} also writes the GPT-2 table trained here, the input
 * {@code pipelines/transplant.yaml} expects.
 */
public final class TransplantReport {
    public static final int[] OMP_SPARSITIES = {1, 2, 4, 8, 16, 32, 64};

    /** One level's results. */
    public record LevelReport(String level, int shared, int heldOut, List<HeuristicsHarness.Score> scores,
                              List<HeuristicsHarness.Score> ompBySparsity) {
        public HeuristicsHarness.Score score(String heuristic) {
            return scores.stream().filter(s -> s.heuristic().equals(heuristic)).findFirst().orElseThrow();
        }
    }

    private TransplantReport() {
    }

    public static Map<String, TransplantTechnique> heuristics() {
        Map<String, TransplantTechnique> m = new LinkedHashMap<>();
        m.put("omp", new OmpTechnique());
        m.put("tokenadapt", new TokenAdaptTechnique());
        m.put("focus", new FocusTechnique());
        m.put("fvt", new FvtTechnique());
        m.put("mean", new MeanTechnique());
        m.put("zero", new ZeroTechnique());
        return m;
    }

    public static LevelReport words(EvaluationSpaces spaces, int[] sparsities) throws IOException {
        EmbeddingTable base = spaces.winkWords();
        EmbeddingTable donor = spaces.corpusWords();
        return run("words: wink GloVe-100d <- " + EvaluationSpaces.CORPUS + " PPMI-SVD", base, donor, null, spaces,
                sparsities);
    }

    public static LevelReport tokens(EvaluationSpaces spaces, int[] sparsities) throws IOException {
        EmbeddingTable base = spaces.tokenVectors("gpt2");
        EmbeddingTable donor = spaces.tokenVectors("cl100k_base");
        return run("tokens: gpt2 <- cl100k_base (PPMI-SVD on " + EvaluationSpaces.CORPUS + ")", base, donor,
                spaces.tokenizer("gpt2"), spaces, sparsities);
    }

    static LevelReport run(String level, EmbeddingTable base, EmbeddingTable donor, Tokenizer baseTokenizer,
                           EvaluationSpaces spaces, int[] sparsities) {
        HeldOutSplit split = HeldOutSplit.of(base, donor, 0.10, 7L);
        HarnessContext ctx = new HarnessContext(spaces.compute(), spaces.data(), Map.of());
        HeuristicsHarness harness = new HeuristicsHarness(split, donor, baseTokenizer, ctx);
        Parameters common = Parameters.of(HeuristicsHarness.commonParameters());
        List<HeuristicsHarness.Score> scores = new ArrayList<>();
        heuristics().forEach((name, t) -> scores.add(harness.score(name, t, common)));
        List<HeuristicsHarness.Score> sweep = new ArrayList<>();
        for (int k : sparsities) {
            sweep.add(harness.score("omp k=" + k, new OmpTechnique(), common.with("k", k)));
        }
        return new LevelReport(level, split.shared().size(), split.heldOut().size(), scores, sweep);
    }

    public static void print(LevelReport r, PrintStream out) {
        out.printf("%n%s: %d shared tokens, %d held out (10%%)%n", r.level(), r.shared(), r.heldOut());
        out.printf("%-12s %12s %10s %11s %8s %8s%n", "heuristic", "mean cosine", "mean rank", "median rank", "top-10",
                "seconds");
        for (HeuristicsHarness.Score s : r.scores()) {
            row(s, out);
        }
        out.println("OMP error (1 - mean cosine) by k:");
        for (HeuristicsHarness.Score s : r.ompBySparsity()) {
            out.printf("  %-10s 1-cos %.4f   mean rank %8.1f%n", s.heuristic(), 1 - s.meanCosine(), s.meanRank());
        }
    }

    private static void row(HeuristicsHarness.Score s, PrintStream out) {
        out.printf("%-12s %12.4f %10.1f %11.0f %7.1f%% %8.2f%n", s.heuristic(), s.meanCosine(), s.meanRank(),
                s.medianRank(), 100 * s.top10(), s.seconds());
    }

    public static void main(String[] args) throws IOException {
        Path writeBase = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--write-base") && i + 1 < args.length) {
                writeBase = Path.of(args[++i]);
            } else {
                System.err.println("usage: TransplantReport [--write-base FILE.safetensors]");
                System.exit(2);
            }
        }
        DataCatalog data = new FileCatalog();
        try (VectorCompute vector = new VectorCompute()) {
            Compute compute = vector;
            EvaluationSpaces spaces = new EvaluationSpaces(data, compute);
            if (writeBase != null) {
                TableFiles.write(writeBase, spaces.tokenVectors("gpt2"));
                System.out.println("wrote the GPT-2 table trained here to " + writeBase);
                return;
            }
            System.out.println("compute: " + compute.describe());
            print(words(spaces, OMP_SPARSITIES), System.out);
            print(tokens(spaces, OMP_SPARSITIES), System.out);
        }
    }
}
