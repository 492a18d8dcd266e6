package io.tokenlab.plugin.prune.codemerge;

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

import java.util.Arrays;
import java.util.List;

/**
 * Pruning in the spirit of identifier merging: every unit {@link IdentifierMerge} finds keeps one
 * representative, its first sub-token, since merging would fold the rest into it anyway. When keep
 * is below the number of units, the representatives whose merged vector has the largest norm win;
 * when above, the remaining sub-tokens are added by their own feature norm. A token set carries no
 * texts, so they come as the parameter {@code token.texts}, one string per token.
 */
@Component(property = {
        "tokenlab.technique=prune/codemerge",
        "tokenlab.description=Token merging for code models: sub-tokens of one identifier (found from token text "
                + "boundaries) merge into their mean; as a pruner keeps the first sub-token of each identifier (by "
                + "merged norm when keep is smaller), then fills by feature norm. Needs: features N x D and the "
                + "parameter token.texts (N strings, the tokenizer's token texts with Ġ/▁ word markers)."})
@Designate(ocd = CodeMergeTechnique.Config.class)
public final class CodeMergeTechnique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/codemerge", description = "Keep one token per identifier, then by norm.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1].",
                min = "0.0001", max = "1")
        double keep_ratio() default 0.5;

        @AttributeDefinition(name = "token.texts", description = "The text of each token, in order (N strings).")
        String[] token_texts() default {};
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        String[] texts = config.token_texts();
        if (texts.length == 0) {
            throw new TechniqueException("prune/codemerge needs token.texts, one string per token, to find identifiers");
        }
        IdentifierMerge.Result merged = IdentifierMerge.merge(Arrays.asList(texts), tokens.features());
        List<IdentifierMerge.Span> spans = merged.spans();
        double[] mergedNorms = norms(merged.features().data(), merged.features().cols());
        double[] ownNorms = norms(tokens.features().data(), tokens.features().cols());
        // representatives rank above all other tokens (offset beyond any norm), by merged norm among themselves
        double offset = 1 + Arrays.stream(ownNorms).max().orElse(0) + Arrays.stream(mergedNorms).max().orElse(0);
        double[] rank = ownNorms.clone();
        for (int s = 0; s < spans.size(); s++) {
            rank[spans.get(s).start()] = offset + mergedNorms[s];
        }
        context.note(texts.length + " tokens form " + spans.size() + " units");
        return Ranking.topAscending(rank, keep);
    }

    private static double[] norms(float[] data, int d) {
        double[] out = new double[data.length / d];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) data[i * d + j] * data[i * d + j];
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }
}
