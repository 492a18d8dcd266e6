package io.tokenlab.plugin.transplant.tokenadapt;

import io.tokenlab.api.InvalidParameterException;
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
import io.tokenlab.plugin.transplant.common.PieceDecomposer;
import io.tokenlab.plugin.transplant.common.TransplantPlan;
import io.tokenlab.plugin.transplant.common.TransplantStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;

/**
 * {@code transplant/tokenadapt}: the TokenAdapt hybrid heuristic (Sharthak et al., arXiv 2505.09738;
 * Tinycompany-AI/tokenadapt). The paper's external embedder f is the auxiliary table here (vectors
 * trained under the new tokenizer).
 *
 * <ul>
 * <li>Local: the new token's pieces under the old tokenizer, weighted by
 * {@code softmax(((softmax(cos(f(t), f(p_i))) + len_i / len) / 2) / tau)}; the similarity part counts only
 * pieces at or above the similarity threshold (and pieces f has a vector for).</li>
 * <li>Global: the top-k old tokens by cos(f(t), f(o)) over the whole old vocabulary (f embeds any
 * string, see {@link AuxiliaryEmbedder}), those at or above the threshold weighted by
 * {@code softmax(sim / tau)}.</li>
 * <li>{@code e = (1 - w) e_local + w e_global} with w = 0.3; either alone when the other is empty, the
 * base mean when both are.</li>
 * </ul>
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/tokenadapt",
        Techniques.FILE_PARAMETERS + "=donor.corpus",
        Techniques.DESCRIPTION + "=TokenAdapt hybrid (arXiv 2505.09738): a local estimate from the new token's "
                + "old-tokenizer pieces (length- and similarity-weighted) and a global estimate from its top-k similar "
                + "old tokens in an auxiliary space (vectors trained here), softmax temperature 0.3, mixed 0.7/0.3. "
                + "Exact matches are copied."})
@Designate(ocd = TokenAdaptTechnique.Config.class)
public final class TokenAdaptTechnique implements TransplantTechnique, StageTechnique {
    private static final int QUERY_BLOCK = 256;

    @ObjectClassDefinition(name = "transplant/tokenadapt", description = "Local subword + global neighbour hybrid.")
    public @interface Config {
        @AttributeDefinition(description = "Softmax temperature of both heuristics.", min = "0.001", max = "5")
        double temperature() default 0.3;

        @AttributeDefinition(description = "Weight of the global estimate; the local one gets 1 - weight.",
                min = "0", max = "1")
        double global_weight() default 0.3;

        @AttributeDefinition(description = "Neighbours of the global estimate.", min = "1", max = "100")
        int top_k() default 3;

        @AttributeDefinition(description = "Cosine similarity below which a neighbour or a piece's similarity "
                + "does not count.", min = "-1", max = "1")
        double similarity_threshold() default 0.6;

        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case "
                + "(TokenAdapt does).")
        boolean case_insensitive() default true;

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
        if (!(c.temperature() > 0)) {
            throw new InvalidParameterException("temperature", c.temperature() + " is not positive");
        }
        if (c.global_weight() < 0 || c.global_weight() > 1) {
            throw new InvalidParameterException("global.weight", c.global_weight() + " is outside [0, 1]");
        }
        EmbeddingTable aux = request.auxiliary();
        if (aux == null) {
            throw new TechniqueException("transplant/tokenadapt needs an auxiliary table (its embedder f) with vectors "
                    + "for the new tokens and the old tokens");
        }
        TransplantPlan plan = TransplantPlan.start(request, c.case_insensitive());
        Compute compute = context.compute();
        EmbeddingTable base = request.base();
        int d = plan.dimension();
        float[] b = base.vectors().data();
        float[] mean = compute.columnMeans(base.vectors());
        FloatMatrix auxUnit = compute.normalizeRows(aux.vectors());
        AuxiliaryEmbedder embedder = new AuxiliaryEmbedder(aux, auxUnit);
        // the global search's candidates: every old token f can embed, not only those the auxiliary table shares
        AuxiliaryEmbedder.Embedded old = embedder.embedAll(base.tokens());
        PieceDecomposer decomposer = new PieceDecomposer(base, request.baseTokenizer());
        int[] remaining = plan.remaining();
        float tau = (float) c.temperature();
        int globalUsed = 0;
        int localUsed = 0;
        for (int from = 0; from < remaining.length; from += QUERY_BLOCK) {
            int to = Math.min(remaining.length, from + QUERY_BLOCK);
            int[] auxRow = new int[to - from];
            for (int q = from; q < to; q++) {
                int j = aux.indexOf(plan.target().get(remaining[q]));
                auxRow[q - from] = j >= 0 && norm(auxUnit, j) > 0 ? j : -1;
            }
            TopK neighbours = null;
            if (old.indices().length > 0 && c.global_weight() > 0) {
                FloatMatrix queries = auxUnit.selectRows(Arrays.stream(auxRow).map(j -> Math.max(j, 0)).toArray());
                neighbours = compute.topK(compute.multiplyTransposed(queries, old.vectors()),
                        Math.min(c.top_k(), old.indices().length));
            }
            for (int q = from; q < to; q++) {
                int row = remaining[q];
                int f = auxRow[q - from];
                float[] query = f < 0 ? null : auxUnit.rowCopy(f);
                double[] local = localEstimate(plan.target().get(row), query, decomposer, base, embedder, b, d, tau,
                        c.similarity_threshold());
                double[] global = f < 0 || neighbours == null ? null
                        : globalEstimate(neighbours, q - from, old.indices(), b, d, tau, c.similarity_threshold());
                double[] v;
                if (local != null && global != null) {
                    v = new double[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = (1 - c.global_weight()) * local[j] + c.global_weight() * global[j];
                    }
                } else if (local != null) {
                    v = local;
                } else if (global != null) {
                    v = global;
                } else {
                    plan.set(row, mean);
                    continue;
                }
                localUsed += local != null ? 1 : 0;
                globalUsed += global != null ? 1 : 0;
                plan.set(row, v);
            }
        }
        context.note("tokenadapt: " + plan.copied() + " copied, " + remaining.length + " estimated (" + localUsed
                + " with a local part, " + globalUsed + " with a global part)");
        return plan.finish();
    }

    /**
     * The local estimate: weights {@code softmax(((softmax(cos(f(t), f(p_i))) + len_i / len) / 2) / tau)}
     * over the old pieces p_i of t. Package-private weights so that a test can check them worked by hand.
     */
    static double[] localWeights(double[] similarity, boolean[] counts, int[] lengths, double tau) {
        int m = similarity.length;
        double maxSim = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            if (counts[i]) {
                maxSim = Math.max(maxSim, similarity[i]);
            }
        }
        double[] simWeight = new double[m];
        double z = 0;
        for (int i = 0; i < m; i++) {
            if (counts[i]) {
                simWeight[i] = Math.exp(similarity[i] - maxSim);
                z += simWeight[i];
            }
        }
        double totalLength = 0;
        for (int l : lengths) {
            totalLength += l;
        }
        totalLength = Math.max(1, totalLength);
        double[] score = new double[m];
        double maxScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double s = ((z > 0 ? simWeight[i] / z : 0) + lengths[i] / totalLength) / 2 / tau;
            score[i] = s;
            maxScore = Math.max(maxScore, s);
        }
        double sum = 0;
        for (int i = 0; i < m; i++) {
            score[i] = Math.exp(score[i] - maxScore);
            sum += score[i];
        }
        for (int i = 0; i < m; i++) {
            score[i] /= sum;
        }
        return score;
    }

    private static double[] localEstimate(String token, float[] query, PieceDecomposer decomposer, EmbeddingTable base,
                                          AuxiliaryEmbedder embedder, float[] b, int d, float tau, double threshold) {
        PieceDecomposer.Pieces pieces = decomposer.decompose(token);
        int m = pieces.size();
        if (m == 0) {
            return null;
        }
        double[] sim = new double[m];
        boolean[] counts = new boolean[m];
        for (int i = 0; i < m; i++) {
            float[] piece = query == null ? null : embedder.embed(base.tokens().get(pieces.rows()[i]));
            if (piece != null) {
                sim[i] = dot(query, piece);
                counts[i] = sim[i] >= threshold;
            }
        }
        double[] weights = localWeights(sim, counts, pieces.lengths(), tau);
        double[] v = new double[d];
        for (int i = 0; i < m; i++) {
            double w = weights[i];
            int piece = pieces.rows()[i];
            for (int j = 0; j < d; j++) {
                v[j] += w * b[piece * d + j];
            }
        }
        return v;
    }

    private static double[] globalEstimate(TopK top, int query, int[] baseRows, float[] b, int d, float tau,
                                           double threshold) {
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < top.k(); r++) {
            if (top.value(query, r) >= threshold) {
                max = Math.max(max, top.value(query, r));
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return null;
        }
        double[] v = new double[d];
        double z = 0;
        for (int r = 0; r < top.k(); r++) {
            float s = top.value(query, r);
            if (s >= threshold) {
                z += Math.exp((s - max) / tau);
            }
        }
        for (int r = 0; r < top.k(); r++) {
            float s = top.value(query, r);
            if (s < threshold) {
                continue;
            }
            double w = Math.exp((s - max) / tau) / z;
            int baseRow = baseRows[top.index(query, r)];
            for (int j = 0; j < d; j++) {
                v[j] += w * b[baseRow * d + j];
            }
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double norm(FloatMatrix m, int row) {
        return dot(m, row, row);
    }

    private static double dot(FloatMatrix m, int a, int b) {
        double s = 0;
        int d = m.cols();
        float[] x = m.data();
        for (int j = 0; j < d; j++) {
            s += x[a * d + j] * x[b * d + j];
        }
        return s;
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
