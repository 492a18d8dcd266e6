package io.tokenlab.plugin.prune.normalign;

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
 * Pruning by norm after "Unseen Bias" alignment: the visual tokens (features) are aligned to the norm
 * scale of the text tokens (context) by {@link NormAlignment}, and the tokens with the largest aligned
 * norms are kept. The default mode GLOBAL keeps relative norms; in mode LAYER every aligned norm is
 * sqrt(D * var / (var + epsilon)) * gamma, so the ranking degenerates to the order of per-token variance
 * and differs from GLOBAL only through epsilon.
 */
@Component(property = {
        "tokenlab.technique=prune/normalign",
        "tokenlab.description=Norm alignment (\"Unseen Bias\"): a LayerNorm-style stage after the projector brings "
                + "visual-token norms to the mean text-token norm (centre each token, LAYER also divides by its std, "
                + "then one gain gamma) and reports the norm ratio before and after; keeps the tokens with the largest "
                + "aligned norm. Needs: features N x D (visual tokens) and context M x D (text token embeddings)."})
@Designate(ocd = NormAlignTechnique.Config.class)
public final class NormAlignTechnique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/normalign", description = "Align visual norms to the text scale, keep by aligned norm.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1].",
                min = "0.0001", max = "1")
        double keep_ratio() default 0.25;

        @AttributeDefinition(description = "GLOBAL: centre and one gain (relative norms kept); LAYER: per-token "
                + "LayerNorm then one gain.")
        NormAlignment.Mode mode() default NormAlignment.Mode.GLOBAL;

        // the run divides by sqrt(var + epsilon), so 0 (a constant token) is refused there: the range starts above it
        @AttributeDefinition(description = "LayerNorm epsilon added to each token's variance (mode LAYER), above 0.",
                min = "0.000000000001")
        double epsilon() default 1e-5;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        if (tokens.context() == null) {
            throw new TechniqueException("prune/normalign needs the text tokens as context (M x D) to know the text "
                    + "norm scale; the token set has none");
        }
        NormAlignment.Result result = NormAlignment.align(tokens.features(), tokens.context(), config.mode(),
                config.epsilon());
        context.note(String.format("visual/text norm ratio %.4g before alignment, %.6f after (gain %.4g)",
                result.ratioBefore(), result.ratioAfter(), result.gain()));
        return Ranking.topAscending(result.norms(), keep);
    }
}
