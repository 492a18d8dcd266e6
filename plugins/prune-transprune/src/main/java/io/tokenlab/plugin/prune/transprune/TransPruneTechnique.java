package io.tokenlab.plugin.prune.transprune;

import io.tokenlab.api.InvalidParameterException;
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
import java.util.List;

/**
 * TransPrune (Li et al., 2025, "TransPrune: Token Transition Pruning for Efficient Large
 * Vision-Language Model"): the score of an image token is its transition variation summed over the
 * modules of the layers seen so far, normalised, plus the normalised instruction-guided attention
 * when given; pruning is progressive (layers 7, 9, 12 keep 0.875, 0.625, then {@code keep} of the
 * original tokens). Each prune point ranks only the tokens the previous one kept.
 *
 * <p>Inputs: {@code layerStates} holds, for each layer from {@code first.layer} on, the input (after
 * LayerNorm) and output (before the residual) of each module, in order: layer L's attention in,
 * attention out, FFN in, FFN out, then layer L + 1's. {@code attention} (instruction tokens x N),
 * when present, is the next layer's attention from the instruction tokens to the image tokens.
 */
@Component(property = {
        "tokenlab.technique=prune/transprune",
        "tokenlab.description=TransPrune (Li et al. 2025): token transition variation TTV = |out|/|in| * "
                + "softmax(1 - cos(in, out)) per attention/FFN module, summed over layers, plus instruction-guided "
                + "attention; progressive schedule (layers 7, 9, 12 keep 0.875, 0.625, keep). Needs: layer states "
                + "(module in/out pairs per layer, N x D each, supplied by the caller); optional attention "
                + "(instruction tokens x N)."})
@Designate(ocd = TransPruneTechnique.Config.class)
public final class TransPruneTechnique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/transprune", description = "Progressive pruning by token transition variation.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the image tokens kept after the last "
                + "prune layer, in (0, 1]; the paper's 0.125.", min = "0.0001", max = "1")
        double keep_ratio() default 0.125;

        @AttributeDefinition(description = "The layer of the first module pair in the layer states.", min = "0")
        int first_layer() default 7;

        @AttributeDefinition(description = "Modules per layer in the layer states (attention and FFN).", min = "1")
        int modules_per_layer() default 2;

        @AttributeDefinition(description = "Layers after which tokens are pruned, ascending; the last one prunes to keep.")
        int[] prune_layers() default {7, 9, 12};

        @AttributeDefinition(description = "Fraction of the original tokens kept at each prune layer but the last.")
        double[] prune_fractions() default {0.875, 0.625};
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        int n = tokens.size();
        int[] layers = config.prune_layers();
        double[] fractions = config.prune_fractions();
        if (layers.length == 0 || fractions.length != layers.length - 1) {
            throw new InvalidParameterException("prune.fractions", fractions.length + " fractions for " + layers.length
                    + " prune layers; give one fewer fraction than layers (the last layer keeps 'keep')");
        }
        List<FloatMatrix> states = tokens.layerStates();
        int perLayer = config.modules_per_layer();
        if (states.isEmpty() || states.size() % (2 * perLayer) != 0) {
            throw new TechniqueException(states.size() + " layer states: TransPrune needs module input/output pairs, "
                    + 2 * perLayer + " matrices per layer (" + perLayer + " modules), from layer " + config.first_layer());
        }
        for (int s = 0; s < states.size(); s++) {
            FloatMatrix m = states.get(s);
            if (m.rows() != n) {
                throw new TechniqueException("layer state " + s + " is " + m.shape() + " for " + n + " tokens");
            }
            for (float v : m.data()) {
                if (!Float.isFinite(v)) {
                    throw new TechniqueException("layer state " + s + " holds " + v + "; states must be finite");
                }
            }
        }
        int lastLayer = config.first_layer() + states.size() / (2 * perLayer) - 1;
        if (layers[layers.length - 1] > lastLayer) {
            throw new TechniqueException("prune layer " + layers[layers.length - 1] + " needs states up to that layer; "
                    + "the states cover layers " + config.first_layer() + ".." + lastLayer);
        }
        float[] guidance = instructionGuidance(tokens, n);
        Compute compute = context.compute();
        int[] alive = new int[n];
        for (int i = 0; i < n; i++) {
            alive[i] = i;
        }
        double[] accumulated = new double[n];
        int nextState = 0;
        for (int p = 0; p < layers.length; p++) {
            // accumulate over the modules of the layers up to this prune point, on the tokens alive now
            int upTo = (layers[p] - config.first_layer() + 1) * 2 * perLayer;
            for (; nextState < upTo; nextState += 2) {
                float[] ttv = TransitionVariation.of(states.get(nextState), states.get(nextState + 1), alive, compute);
                for (int t = 0; t < alive.length; t++) {
                    accumulated[alive[t]] += ttv[t];
                }
            }
            int target = p == layers.length - 1 ? keep
                    : Math.max(keep, Math.min(alive.length, (int) Math.round(fractions[p] * n)));
            alive = topAlive(alive, accumulated, guidance, target, compute);
        }
        Arrays.sort(alive);
        context.note("kept " + alive.length + " of " + n + " after prune layers " + Arrays.toString(layers));
        return alive;
    }

    /** Mean attention from the instruction tokens to each image token, or null when not given. */
    private static float[] instructionGuidance(TokenSet tokens, int n) {
        FloatMatrix attention = tokens.attention();
        if (attention == null) {
            return null;
        }
        if (attention.cols() != n || attention.rows() == 0) {
            throw new TechniqueException("attention " + attention.shape() + " must be instruction tokens x " + n);
        }
        float[] mean = new float[n];
        for (int q = 0; q < attention.rows(); q++) {
            for (int i = 0; i < n; i++) {
                float a = attention.get(q, i);
                if (!Float.isFinite(a)) {
                    throw new TechniqueException("attention (" + q + ", " + i + ") is " + a);
                }
                mean[i] += a / attention.rows();
            }
        }
        return mean;
    }

    /** The {@code count} alive tokens with the largest TTV/sum(TTV) + IGA/sum(IGA), in index order. */
    private static int[] topAlive(int[] alive, double[] ttv, float[] guidance, int count, Compute compute) {
        double ttvSum = 0;
        double igaSum = 0;
        for (int t : alive) {
            ttvSum += ttv[t];
            igaSum += guidance == null ? 0 : guidance[t];
        }
        float[] score = new float[alive.length];
        for (int i = 0; i < alive.length; i++) {
            double s = ttvSum == 0 ? 0 : ttv[alive[i]] / ttvSum;
            if (guidance != null && igaSum != 0) {
                s += guidance[alive[i]] / igaSum;
            }
            score[i] = (float) s;
        }
        if (count == 0) {
            return new int[0];
        }
        TopK top = compute.topK(FloatMatrix.row(score), count);
        int[] kept = new int[count];
        for (int r = 0; r < count; r++) {
            kept[r] = alive[top.index(0, r)];
        }
        Arrays.sort(kept);
        return kept;
    }
}
