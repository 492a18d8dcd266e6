package io.tokenlab.plugin.transplant.focus;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.plugin.transplant.common.Anchors;
import io.tokenlab.plugin.transplant.common.TransplantPlan;
import io.tokenlab.plugin.transplant.common.TransplantStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;

/**
 * {@code transplant/focus}: FOCUS-style initialisation (Dobler and de Melo, EMNLP 2023). The overlap
 * tokens (in both vocabularies) are copied; a new token's vector is the sparsemax-weighted combination of
 * the overlap tokens' base vectors, the weights coming from its cosine similarities to them in an
 * auxiliary space. FOCUS trains fastText under the new tokenizer for that space; here it is PPMI+SVD
 * vectors trained here. Tokens without an auxiliary vector get the base mean.
 *
 * <p>Sparsemax's support is the few overlap tokens closest to the new one, so it is computed on the top
 * candidates by similarity; the candidate count doubles until the support no longer fills it, which makes
 * the result exactly the sparsemax over all overlap tokens.
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/focus",
        Techniques.FILE_PARAMETERS + "=donor.corpus",
        Techniques.DESCRIPTION + "=FOCUS-style initialisation (Dobler and de Melo 2023): sparsemax over the cosine "
                + "similarities of a new token to the overlapping tokens in an auxiliary space (vectors trained here "
                + "instead of fastText) weighs their base vectors. Exact matches are copied."})
@Designate(ocd = FocusTechnique.Config.class)
public final class FocusTechnique implements TransplantTechnique, StageTechnique {
    private static final int QUERY_BLOCK = 256;
    private static final int FIRST_CANDIDATES = 64;

    @ObjectClassDefinition(name = "transplant/focus", description = "Sparsemax over auxiliary-space similarities "
            + "to overlapping tokens.")
    public @interface Config {
        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case.")
        boolean case_insensitive() default false;

        @AttributeDefinition(description = "Data set whose text trains the auxiliary space of the new vocabulary.")
        String donor_corpus() default TransplantStage.DEFAULT_CORPUS;

        @AttributeDefinition(description = "Megabytes of the donor corpus to train on.", min = "1", max = "1024")
        int donor_megabytes() default TransplantStage.DEFAULT_MEGABYTES;

        @AttributeDefinition(description = "Dimension of the auxiliary vectors.", min = "2", max = "1024")
        int donor_dimension() default TransplantStage.DEFAULT_DIMENSION;
    }

    @Override
    public EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        EmbeddingTable aux = request.auxiliary();
        if (aux == null) {
            throw new TechniqueException("transplant/focus needs an auxiliary table with vectors for the new tokens "
                    + "and the overlapping tokens");
        }
        TransplantPlan plan = TransplantPlan.start(request, c.case_insensitive());
        Compute compute = context.compute();
        EmbeddingTable base = request.base();
        int d = plan.dimension();
        float[] b = base.vectors().data();
        float[] mean = compute.columnMeans(base.vectors());
        Anchors overlap = Anchors.between(base, aux);
        if (overlap.size() == 0) {
            throw new TechniqueException("transplant/focus: the vocabularies share no token with an auxiliary vector");
        }
        FloatMatrix auxUnit = compute.normalizeRows(aux.vectors());
        FloatMatrix overlapUnit = auxUnit.selectRows(overlap.auxiliaryRows());
        int[] remaining = plan.remaining();
        int meanRows = 0;
        long supportTotal = 0;
        for (int from = 0; from < remaining.length; from += QUERY_BLOCK) {
            int to = Math.min(remaining.length, from + QUERY_BLOCK);
            int[] auxRow = new int[to - from];
            for (int q = from; q < to; q++) {
                int j = aux.indexOf(plan.target().get(remaining[q]));
                auxRow[q - from] = j >= 0 && !zero(aux.vectors(), j) ? j : -1;
            }
            FloatMatrix similarities = compute.multiplyTransposed(
                    auxUnit.selectRows(Arrays.stream(auxRow).map(j -> Math.max(j, 0)).toArray()), overlapUnit);
            int candidates = Math.min(FIRST_CANDIDATES, overlap.size());
            TopK top = compute.topK(similarities, candidates);
            for (int q = from; q < to; q++) {
                int row = remaining[q];
                if (auxRow[q - from] < 0) {
                    plan.set(row, mean);
                    meanRows++;
                    continue;
                }
                int[] support = new int[1];
                TopK t = top;
                int query = q - from;
                double[] weights;
                while (true) {
                    float[] sorted = Arrays.copyOfRange(t.values(), query * t.k(), (query + 1) * t.k());
                    weights = Sparsemax.ofDescending(sorted, sorted.length, support);
                    if (support[0] < t.k() || t.k() == overlap.size()) {
                        break;
                    }
                    // the support fills the candidates: widen them for this query until it does not
                    FloatMatrix one = new FloatMatrix(1, overlap.size(), Arrays.copyOfRange(similarities.data(),
                            query * overlap.size(), (query + 1) * overlap.size()));
                    t = compute.topK(one, Math.min(overlap.size(), t.k() * 2));
                    query = 0;
                }
                supportTotal += support[0];
                double[] v = new double[d];
                for (int r = 0; r < support[0]; r++) {
                    int baseRow = overlap.baseRows()[t.index(query, r)];
                    for (int j = 0; j < d; j++) {
                        v[j] += weights[r] * b[baseRow * d + j];
                    }
                }
                plan.set(row, v);
            }
        }
        int estimated = remaining.length - meanRows;
        context.note("focus: " + plan.copied() + " copied, " + estimated + " by sparsemax (mean support "
                + (estimated == 0 ? 0 : supportTotal / (double) estimated) + " of " + overlap.size() + " overlap tokens), "
                + meanRows + " without an auxiliary vector set to the mean");
        return plan.finish();
    }

    private static boolean zero(FloatMatrix m, int row) {
        for (int j = 0; j < m.cols(); j++) {
            if (m.get(row, j) != 0f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public PortType input() {
        return PortType.EMBEDDINGS;
    }

    @Override
    public PortType output() {
        return PortType.EMBEDDINGS;
    }

    @Override
    public Object apply(Object input, Parameters parameters, RunContext context) {
        return TransplantStage.run(this, input, parameters, context, true);
    }
}
