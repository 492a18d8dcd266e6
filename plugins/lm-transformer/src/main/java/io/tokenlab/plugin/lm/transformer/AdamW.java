package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) as PyTorch's {@code torch.optim.AdamW} computes it: decoupled
 * weight decay {@code p -= lr * wd * p}, then the bias-corrected Adam step. Norm weights are not
 * decayed (a second parameter group with decay 0 in the transcription).
 */
final class AdamW {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, FloatMatrix> m;
    private final Map<String, FloatMatrix> v;
    private int step;

    AdamW(TransformerConfig config, float beta1, float beta2, float epsilon, float weightDecay) {
        this(ModelWeights.zeros(config).tensors(), beta1, beta2, epsilon, weightDecay);
    }

    /** An optimizer for parameters of the names and shapes of {@code like} (a model of several parts). */
    AdamW(Map<String, FloatMatrix> like, float beta1, float beta2, float epsilon, float weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new LinkedHashMap<>();
        this.v = new LinkedHashMap<>();
        like.forEach((name, t) -> {
            m.put(name, FloatMatrix.zeros(t.rows(), t.cols()));
            v.put(name, FloatMatrix.zeros(t.rows(), t.cols()));
        });
    }

    int steps() {
        return step;
    }

    void step(ModelWeights params, ModelWeights grads, float lr) {
        step(params.tensors(), grads.tensors(), lr);
    }

    void step(Map<String, FloatMatrix> params, Map<String, FloatMatrix> grads, float lr) {
        step++;
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / correction1);
        float root2 = (float) Math.sqrt(correction2);
        for (String name : params.keySet()) {
            float[] p = params.get(name).data();
            float[] g = grads.get(name).data();
            float[] mm = m.get(name).data();
            float[] vv = v.get(name).data();
            float decay = ModelWeights.isNorm(name) ? 0f : 1f - lr * weightDecay;
            for (int i = 0; i < p.length; i++) {
                if (decay != 0f) {
                    p[i] *= decay;
                }
                mm[i] = beta1 * mm[i] + (1 - beta1) * g[i];
                vv[i] = beta2 * vv[i] + (1 - beta2) * g[i] * g[i];
                float denominator = (float) Math.sqrt(vv[i]) / root2 + epsilon;
                p[i] -= stepSize * mm[i] / denominator;
            }
        }
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_} does; returns the norm before clipping.
     */
    static double clip(ModelWeights grads, double maxNorm) {
        return clip(grads.tensors(), maxNorm);
    }

    static double clip(Map<String, FloatMatrix> grads, double maxNorm) {
        double sum = 0;
        for (FloatMatrix g : grads.values()) {
            for (float x : g.data()) {
                sum += (double) x * x;
            }
        }
        double norm = Math.sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) {
            float f = (float) coefficient;
            for (FloatMatrix g : grads.values()) {
                float[] d = g.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= f;
                }
            }
        }
        return norm;
    }
}
