package io.tokenlab.plugin.prune.critical;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import io.tokenlab.plugin.prune.common.Ranking;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Pruning by precomputed contrastive scores. A token set carries no language models, so the scores
 * come in {@code TokenSet.scores}: p_CE(t) per token as {@link ContrastiveEstimation} computes them
 * (each in [0, 1]). {@code prefer} HIGH keeps the tokens the positive model favours most over the
 * negative; LOW keeps the critical tokens of a rejected trajectory, those with the largest cDPO weight
 * 1 - p_CE.
 */
@Component(property = {
        "tokenlab.technique=prune/critical",
        "tokenlab.description=Critical tokens by contrastive estimation (cDPO, Lin et al. 2024): p_CE(t) = "
                + "softmax(2 z+ - z-)[y_t] from a positive and a negative language model. Needs: features N x D "
                + "(checked) and scores = p_CE per token, precomputed with ContrastiveEstimation; keeps the highest "
                + "(prefer HIGH) or lowest (prefer LOW, the critical tokens) scores."})
@Designate(ocd = CriticalTokenTechnique.Config.class)
public final class CriticalTokenTechnique implements PruneTechnique {

    public enum Preference { HIGH, LOW }

    @ObjectClassDefinition(name = "prune/critical", description = "Keep tokens by contrastive-estimation score.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1].",
                min = "0.0001", max = "1")
        double keep_ratio() default 0.25;

        @AttributeDefinition(description = "HIGH keeps the largest p_CE; LOW keeps the critical tokens (largest 1 - p_CE).")
        Preference prefer() default Preference.HIGH;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        float[] scores = tokens.scores();
        if (scores == null) {
            throw new TechniqueException("prune/critical needs scores: p_CE per token from ContrastiveEstimation "
                    + "(a token set carries no language models)");
        }
        double[] rank = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                throw new TechniqueException("score " + i + " is " + scores[i] + "; contrastive scores are "
                        + "probabilities in [0, 1]");
            }
            rank[i] = config.prefer() == Preference.HIGH ? scores[i] : 1.0 - scores[i];
        }
        return Ranking.topAscending(rank, keep);
    }
}
