package io.tokenlab.api.lm;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.List;

/**
 * What one forward pass of a {@link TransformerModel} over T tokens recorded.
 *
 * @param tokens       the ids, in order
 * @param hiddenStates L + 1 residual-stream states, each T x D: the embeddings, then each layer's output
 * @param layers       one entry per layer, in order
 */
public record TransformerTrace(int[] tokens, List<FloatMatrix> hiddenStates, List<Layer> layers) {
    public TransformerTrace {
        tokens = tokens.clone();
        hiddenStates = List.copyOf(hiddenStates);
        layers = List.copyOf(layers);
        if (hiddenStates.size() != layers.size() + 1) {
            throw new IllegalArgumentException(hiddenStates.size() + " hidden states for " + layers.size()
                    + " layers; expected layers + 1");
        }
    }

    /**
     * One layer of a pre-norm block: {@code h + attention(norm1(h))}, then {@code + mlp(norm2(.))}.
     *
     * @param attention       one T x T map per head: row i is query i's softmax over keys 0..i (later keys 0)
     * @param attentionInput  norm1 of the layer's input, T x D (what the attention module reads)
     * @param attentionOutput the attention module's output before the residual add, T x D
     * @param mlpInput        norm2 of the state after attention, T x D
     * @param mlpOutput       the MLP's output before the residual add, T x D
     * @param queries         the queries of every head side by side (head h in columns h*D/H ..), T x D
     * @param keys            the keys, laid out as the queries
     */
    public record Layer(List<FloatMatrix> attention, FloatMatrix attentionInput, FloatMatrix attentionOutput,
                        FloatMatrix mlpInput, FloatMatrix mlpOutput, FloatMatrix queries, FloatMatrix keys) {
        public Layer {
            attention = List.copyOf(attention);
        }

        /** The heads' maps stacked along rows, (H * T) x T: head h holds rows [h * T, (h + 1) * T). */
        public FloatMatrix stackedAttention() {
            int t = attention.get(0).rows();
            int n = attention.get(0).cols();
            float[] out = new float[attention.size() * t * n];
            for (int h = 0; h < attention.size(); h++) {
                System.arraycopy(attention.get(h).data(), 0, out, h * t * n, t * n);
            }
            return new FloatMatrix(attention.size() * t, n, out);
        }
    }

    public int length() {
        return tokens.length;
    }
}
