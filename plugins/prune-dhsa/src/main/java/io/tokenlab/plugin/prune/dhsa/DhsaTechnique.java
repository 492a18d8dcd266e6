package io.tokenlab.plugin.prune.dhsa;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;

/**
 * DHSA as a prune stage: the keys kept are those the sparse attention would reach most, i.e. the
 * tokens with the highest upsampled chunk similarity to any query block that can see them (causal).
 * The mask and masked attention themselves are {@link HierarchicalSparseAttention}'s.
 */
@Component(property = {
        "tokenlab.technique=prune/dhsa",
        "tokenlab.description=DHSA (Xiong et al. 2025): dynamic chunk boundaries over the keys (window/ratio rule "
                + "with NMS, a reconstruction), chunk aggregation mean*sqrt(size), chunk-to-query-block similarity "
                + "upsampled to token importance; keeps the keys most important to some query block. Needs: features "
                + "= keys N x D (head mean); optional context = queries M x D (else the keys are the queries)."})
@Designate(ocd = DhsaTechnique.Config.class)
public final class DhsaTechnique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/dhsa", description = "Keep the keys dynamic hierarchical sparse attention reaches most.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the keys to keep, in (0, 1]; DHSA's "
                + "density 0.125.", min = "0.0001", max = "1")
        double keep_ratio() default 0.125;

        @AttributeDefinition(description = "Window w of the boundary rule, in tokens.", min = "1")
        int window() default 4;

        @AttributeDefinition(description = "Ratio theta of inside to across affinity that makes a boundary.", min = "0")
        double theta() default 1.1;

        @AttributeDefinition(description = "Queries per query block.", min = "1")
        int block_size() default 64;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        if (keep == 0) {
            return new int[0];
        }
        FloatMatrix keys = tokens.features();
        FloatMatrix queries = tokens.context() == null ? keys : tokens.context();
        if (queries.cols() != keys.cols()) {
            throw new TechniqueException("queries " + queries.shape() + " and keys " + keys.shape()
                    + " differ in dimension");
        }
        for (float v : queries.data()) {
            if (!Float.isFinite(v)) {
                throw new TechniqueException("queries hold " + v + "; they must be finite");
            }
        }
        Compute compute = context.compute();
        int[] starts = HierarchicalSparseAttention.chunkStarts(keys, config.window(), config.theta(), compute);
        FloatMatrix importance = HierarchicalSparseAttention.tokenImportance(queries, keys, starts, config.block_size(), compute);
        int n = keys.rows();
        float[] reach = new float[n];
        Arrays.fill(reach, Float.NEGATIVE_INFINITY);
        for (int b = 0; b < importance.rows(); b++) {
            // the keys' own queries are causal; separate queries (the context) come after the keys and see all
            int visible = tokens.context() != null ? n : Math.min(n, (b + 1) * config.block_size());
            for (int j = 0; j < visible; j++) {
                reach[j] = Math.max(reach[j], importance.get(b, j));
            }
        }
        TopK top = compute.topK(FloatMatrix.row(reach), keep);
        int[] kept = Arrays.copyOf(top.indices(), keep);
        Arrays.sort(kept);
        context.note(starts.length + " chunks over " + n + " keys; kept " + keep);
        return kept;
    }
}
