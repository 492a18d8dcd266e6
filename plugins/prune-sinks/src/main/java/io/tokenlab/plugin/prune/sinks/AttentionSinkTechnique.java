package io.tokenlab.plugin.prune.sinks;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import io.tokenlab.plugin.prune.common.Ranking;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Pruning with attention sinks in view. The tokens are ranked by the attention they receive from the
 * active heads only: a dormant head parks its attention on the sinks as a no-op, so its mass says
 * nothing about which tokens matter. Sinks themselves carry little content but the model leans on
 * them (removing them changes every later attention row), hence the choice {@code sinks}: EXCLUDE
 * ranks flagged sinks after every other token (kept only when keep exceeds the non-sinks), INCLUDE
 * ranks every token by its mass, which keeps sinks first.
 *
 * <p>Input layout: {@code TokenSet.attention} is (H * Q) x N, the H heads' Q x N maps stacked along
 * rows (head h holds rows [h * Q, (h + 1) * Q)), each row a softmax over the N tokens; H is the
 * parameter {@code heads}. Features are checked but not used.
 */
@Component(property = {
        "tokenlab.technique=prune/sinks",
        "tokenlab.description=Attention sinks / active-dormant heads (Guo et al. 2024): flags sink tokens (mean "
                + "attention received > sink.mass) and dormant heads (mean normalised row entropy < row.entropy, max "
                + "normalised column entropy > column.entropy, with a sink), then keeps the tokens receiving the most "
                + "attention from active heads, sinks excluded or included. Needs: attention (heads*Q) x N, heads "
                + "stacked along rows, rows softmax-normalised; features N x D are checked, not used."})
@Designate(ocd = AttentionSinkTechnique.Config.class)
public final class AttentionSinkTechnique implements PruneTechnique {

    /** What to do with the flagged sink tokens. */
    public enum SinkPolicy { EXCLUDE, INCLUDE }

    @ObjectClassDefinition(name = "prune/sinks", description = "Prune by attention from active heads, with sink detection.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1].",
                min = "0.0001", max = "1")
        double keep_ratio() default 0.25;

        @AttributeDefinition(description = "Number of heads stacked along the rows of the attention map.", min = "1")
        int heads() default 1;

        @AttributeDefinition(name = "sink.mass", description = "Mass test: a token is a sink of a head when the mean "
                + "attention it receives exceeds this (the reference's epsilon 0.3), in (0, 1).", min = "0.000001",
                max = "0.999999")
        double sink_mass() default 0.3;

        @AttributeDefinition(name = "row.entropy", description = "Entropy test: a dormant head's mean row entropy, "
                + "normalised by ln N, is below this, in (0, 1].", min = "0.000001", max = "1")
        double row_entropy() default 0.5;

        @AttributeDefinition(name = "column.entropy", description = "Entropy test: a dormant head's largest column "
                + "entropy, normalised by ln Q, is above this, in [0, 1).", min = "0", max = "0.999999")
        double column_entropy() default 0.9;

        @AttributeDefinition(description = "EXCLUDE ranks sinks last; INCLUDE ranks them by their mass like any token.")
        SinkPolicy sinks() default SinkPolicy.EXCLUDE;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        FloatMatrix attention = tokens.attention();
        if (attention == null) {
            throw new TechniqueException("prune/sinks needs attention maps ((heads*Q) x N); the token set has none");
        }
        if (attention.cols() != tokens.size()) {
            throw new TechniqueException("attention is " + attention.shape() + " but there are " + tokens.size()
                    + " tokens; its columns must be the tokens");
        }
        AttentionSinks detector = new AttentionSinks(config.sink_mass(), config.row_entropy(), config.column_entropy());
        AttentionSinks.Report report = detector.detect(AttentionSinks.splitHeads(attention, config.heads()));
        if (keep == 0) {
            return new int[0];
        }
        double[] score = report.massFromActiveHeads();
        if (config.sinks() == SinkPolicy.EXCLUDE) {
            for (int k = 0; k < score.length; k++) {
                if (report.sinkTokens()[k]) {
                    // mass lies in [0, 1], so a sink's shifted score falls below every non-sink's
                    score[k] -= 2;
                }
            }
        }
        context.note(report.sinkCount() + " sink tokens, " + report.dormantCount() + " of " + config.heads()
                + " heads dormant; sinks " + config.sinks().name().toLowerCase());
        return Ranking.topAscending(score, keep);
    }
}
