package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.compute.FloatMatrix;
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

/**
 * {@code transplant/omp}: training-free tokenizer transplantation via Orthogonal Matching Pursuit
 * (Goddard and Fernandes Neto, arXiv 2506.06607; mergekit's tokensurgeon). The anchors are the tokens
 * both vocabularies share. Each new token's donor vector is approximated by k anchors' donor vectors;
 * its base vector is the same combination of those anchors' base vectors. New tokens the donor space
 * has no vector for get the mean of the base table.
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/omp",
        Techniques.FILE_PARAMETERS + "=donor.corpus",
        Techniques.DESCRIPTION + "=Orthogonal Matching Pursuit transplantation (arXiv 2506.06607, mergekit "
                + "tokensurgeon): each new token is a k-sparse combination of shared anchor tokens in a donor space "
                + "(vectors trained here by PPMI+SVD under the new tokenizer); the same coefficients applied to the "
                + "anchors' base vectors give its base vector. Exact matches are copied."})
@Designate(ocd = OmpTechnique.Config.class)
public final class OmpTechnique implements TransplantTechnique, StageTechnique {

    @ObjectClassDefinition(name = "transplant/omp", description = "Transplant an embedding table to a new "
            + "vocabulary by OMP over shared anchor tokens.")
    public @interface Config {
        @AttributeDefinition(description = "Sparsity: anchors per new token (the paper's default is 64).", min = "1",
                max = "1024")
        int k() default 64;

        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case.")
        boolean case_insensitive() default false;

        @AttributeDefinition(description = "Data set whose text trains the donor space of the new vocabulary.")
        String donor_corpus() default TransplantStage.DEFAULT_CORPUS;

        @AttributeDefinition(description = "Megabytes of the donor corpus to train on.", min = "1", max = "1024")
        int donor_megabytes() default TransplantStage.DEFAULT_MEGABYTES;

        @AttributeDefinition(description = "Dimension of the donor vectors.", min = "2", max = "1024")
        int donor_dimension() default TransplantStage.DEFAULT_DIMENSION;
    }

    @Override
    public EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context) {
        Config config = parameters.as(Config.class);
        if (config.k() < 1) {
            throw new io.tokenlab.api.InvalidParameterException("k", config.k() + " is not a positive sparsity");
        }
        TransplantPlan plan = TransplantPlan.start(request, config.case_insensitive());
        int[] remaining = plan.remaining();
        if (remaining.length == 0) {
            return plan.finish();
        }
        EmbeddingTable donor = request.auxiliary();
        if (donor == null) {
            throw new TechniqueException("transplant/omp needs a donor table (the request's auxiliary table) in which "
                    + "the new tokens and the shared anchors have vectors");
        }
        Anchors anchors = Anchors.between(request.base(), donor);
        float[] mean = context.compute().columnMeans(request.base().vectors());
        if (anchors.size() == 0) {
            throw new TechniqueException("transplant/omp: the base and donor tables share no token with a donor vector");
        }
        // new tokens with a donor vector are pursued; the rest get the base mean
        int[] pursued = new int[remaining.length];
        int[] donorRows = new int[remaining.length];
        int n = 0;
        for (int row : remaining) {
            int j = donor.indexOf(plan.target().get(row));
            if (j >= 0 && !isZero(donor.vectors(), j)) {
                pursued[n] = row;
                donorRows[n++] = j;
            } else {
                plan.set(row, mean);
            }
        }
        if (n > 0) {
            FloatMatrix dictionary = donor.vectors().selectRows(anchors.auxiliaryRows());
            FloatMatrix targets = donor.vectors().selectRows(java.util.Arrays.copyOf(donorRows, n));
            context.progress().begin("OMP k=" + config.k() + " over " + anchors.size() + " anchors for " + n
                    + " new tokens", 0);
            SparseCodes codes;
            try {
                codes = BatchedOmp.solve(dictionary, targets, config.k(), context.compute());
            } finally {
                context.progress().end();
            }
            applyToBase(codes, anchors, request.base(), pursued, plan);
        }
        context.note("omp: " + plan.copied() + " copied, " + n + " pursued over " + anchors.size() + " anchors, "
                + (remaining.length - n) + " without a donor vector set to the mean");
        return plan.finish();
    }

    static void applyToBase(SparseCodes codes, Anchors anchors, EmbeddingTable base, int[] targetRows,
                            TransplantPlan plan) {
        int d = base.dimension();
        float[] b = base.vectors().data();
        for (int t = 0; t < codes.targets(); t++) {
            double[] v = new double[d];
            for (int s = 0; s < codes.sizes()[t]; s++) {
                int baseRow = anchors.baseRows()[codes.atom(t, s)];
                double c = codes.coefficient(t, s);
                for (int j = 0; j < d; j++) {
                    v[j] += c * b[baseRow * d + j];
                }
            }
            plan.set(targetRows[t], v);
        }
    }

    private static boolean isZero(FloatMatrix m, int row) {
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
