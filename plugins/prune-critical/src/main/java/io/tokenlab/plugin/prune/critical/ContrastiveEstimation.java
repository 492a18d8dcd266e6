package io.tokenlab.plugin.prune.critical;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.lm.LanguageModel;

import java.util.Arrays;

/**
 * Contrastive estimation of critical tokens (cDPO: Lin et al., 2024, "Critical Tokens Matter"): with a
 * positive model (fine-tuned on correct trajectories) and a negative one (on incorrect ones), the
 * contrastive distribution at position t is softmax(2 z+ - z-) over the vocabulary, z the models'
 * next-token log-probabilities given the tokens before t. A token's score is that distribution's value
 * at the token actually there, p_CE(t), proportional to pi+(y_t)^2 / pi-(y_t): high where the positive
 * model prefers the token much more than the negative one. The paper's weight on a rejected
 * trajectory's token is 1 - p_CE(t); the low-scoring tokens are the critical ones.
 *
 * <p>Log-probabilities stand in for logits: per position they differ by one constant per model, and
 * 2 c+ - c- is a constant the softmax removes.
 */
public final class ContrastiveEstimation {
    private final LanguageModel positive;
    private final LanguageModel negative;

    /**
     * @param scores        p_CE(t) for each scored token
     * @param distributions the full contrastive distribution over the vocabulary at each scored token
     */
    public record Result(double[] scores, double[][] distributions) {
        /** The cDPO weights 1 - p_CE(t). */
        public double[] weights() {
            return Arrays.stream(scores).map(s -> 1 - s).toArray();
        }
    }

    public ContrastiveEstimation(LanguageModel positive, LanguageModel negative) {
        if (positive == null || negative == null) {
            throw new TechniqueException("contrastive estimation needs a positive and a negative language model");
        }
        if (positive.vocabularySize() != negative.vocabularySize()) {
            throw new TechniqueException("the positive model has " + positive.vocabularySize() + " tokens but the "
                    + "negative one " + negative.vocabularySize() + "; they must share one tokenizer");
        }
        this.positive = positive;
        this.negative = negative;
    }

    /** Scores every token of {@code sequence}, the first one after an empty context. */
    public Result score(int[] sequence) {
        return score(new int[0], sequence);
    }

    /** Scores each token of {@code tokens}, the context of token t being the prompt then tokens[0..t). */
    public Result score(int[] prompt, int[] tokens) {
        int vocabulary = positive.vocabularySize();
        checkIds("prompt", prompt, vocabulary);
        checkIds("token", tokens, vocabulary);
        int[][] contexts = new int[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            int[] context = Arrays.copyOf(prompt, prompt.length + t);
            System.arraycopy(tokens, 0, context, prompt.length, t);
            contexts[t] = context;
        }
        float[][] zPositive = positive.logProbabilities(contexts);
        float[][] zNegative = negative.logProbabilities(contexts);
        double[] scores = new double[tokens.length];
        double[][] distributions = new double[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            distributions[t] = contrast(zPositive[t], zNegative[t], t, vocabulary);
            scores[t] = distributions[t][tokens[t]];
        }
        return new Result(scores, distributions);
    }

    private static double[] contrast(float[] plus, float[] minus, int position, int vocabulary) {
        if (plus.length != vocabulary || minus.length != vocabulary) {
            throw new TechniqueException("at position " + position + " the models returned " + plus.length + " and "
                    + minus.length + " log-probabilities for a vocabulary of " + vocabulary);
        }
        double[] logits = new double[vocabulary];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabulary; v++) {
            if (Float.isNaN(plus[v]) || Float.isNaN(minus[v]) || plus[v] > 0 || minus[v] > 0) {
                throw new TechniqueException("at position " + position + " token " + v + " has log-probabilities "
                        + plus[v] + " (positive) and " + minus[v] + " (negative); they must be numbers <= 0");
            }
            if (minus[v] == Float.NEGATIVE_INFINITY && plus[v] != Float.NEGATIVE_INFINITY) {
                throw new TechniqueException("at position " + position + " the negative model gives token " + v
                        + " probability 0 where the positive one does not, so 2 z+ - z- is infinite; smooth the "
                        + "negative model");
            }
            // a token both models rule out stays out of the contrastive distribution
            logits[v] = plus[v] == Float.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : 2.0 * plus[v] - minus[v];
            max = Math.max(max, logits[v]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new TechniqueException("at position " + position + " the positive model gives every token "
                    + "probability 0");
        }
        double sum = 0;
        double[] p = new double[vocabulary];
        for (int v = 0; v < vocabulary; v++) {
            p[v] = Math.exp(logits[v] - max);
            sum += p[v];
        }
        for (int v = 0; v < vocabulary; v++) {
            p[v] /= sum;
        }
        return p;
    }

    private static void checkIds(String what, int[] ids, int vocabulary) {
        if (ids == null) {
            throw new TechniqueException("no " + what + " ids given");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabulary) {
                throw new TechniqueException(what + " " + i + " has id " + ids[i] + ", outside the vocabulary [0, "
                        + vocabulary + ")");
            }
        }
    }
}
