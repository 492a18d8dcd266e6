package io.tokenlab.plugin.prune.divprune;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;

/**
 * DivPrune (Alvar, Singh, Akbari, Zhang; CVPR 2025, "DivPrune: Diversity-based Visual Token Pruning
 * for Large Multimodal Models"): pruning as the Max-Min Diversity Problem, solved by the reference's
 * greedy over cosine distance. Needs only the features (the projected visual tokens).
 */
@Component(property = {
        "tokenlab.technique=prune/divprune",
        "tokenlab.description=DivPrune (Alvar et al., CVPR 2025): keeps the most diverse visual tokens by the "
                + "greedy Max-Min Diversity Problem over 1 - cosine distance (first the token with the farthest "
                + "nearest neighbour, then the token farthest from those kept). Needs: features N x D "
                + "(visual tokens after the projector); scores, grid and layers are ignored."})
@Designate(ocd = DivPruneTechnique.Config.class)
public final class DivPruneTechnique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/divprune",
            description = "Keep a diverse subset of tokens (DivPrune, greedy Max-Min Diversity).")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1]; "
                + "the paper's default 0.098 keeps 56 of LLaVA-1.5's 576 visual tokens.", min = "0.0001", max = "1")
        double keep_ratio() default 0.098;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        if (keep == 0) {
            return new int[0];
        }
        int n = tokens.size();
        float[] distances = MaxMinDiversity.cosineDistances(tokens.features(), context.compute());
        int[] kept = MaxMinDiversity.greedyOrder(distances, n, keep);
        // the reference splices the kept tokens back in their original order
        Arrays.sort(kept);
        context.note("kept " + keep + " of " + n + " tokens, min pairwise cosine distance "
                + MaxMinDiversity.minPairwiseDistance(distances, n, kept));
        return kept;
    }
}
