package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of a model made of several parts (an encoder and a decoder transformer, a gate, a
 * projection), each part's tensors under its prefix, so one {@link AdamW} and one gradient clip run
 * over all of them. Parts are {@link ModelWeights} views sharing the set's storage.
 */
final class TensorSet {
    private final Map<String, FloatMatrix> tensors = new LinkedHashMap<>();
    private final Map<String, ModelWeights> parts = new LinkedHashMap<>();

    /** Adds a transformer's tensors under {@code name + "."}. */
    TensorSet add(String name, ModelWeights part) {
        part.tensors().forEach((key, t) -> put(name + "." + key, t));
        parts.put(name, part);
        return this;
    }

    /** Adds one tensor. */
    TensorSet add(String name, FloatMatrix tensor) {
        put(name, tensor);
        return this;
    }

    private void put(String name, FloatMatrix t) {
        if (tensors.putIfAbsent(name, t) != null) {
            throw new IllegalArgumentException("a second tensor named " + name);
        }
    }

    ModelWeights part(String name) {
        ModelWeights p = parts.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no part " + name + "; parts: " + parts.keySet());
        }
        return p;
    }

    FloatMatrix tensor(String name) {
        FloatMatrix t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t;
    }

    Map<String, FloatMatrix> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** A set of the same parts and shapes holding zeros (the gradients' holder). */
    TensorSet zerosLike() {
        TensorSet z = new TensorSet();
        Map<FloatMatrix, Boolean> inParts = new java.util.IdentityHashMap<>();
        parts.forEach((name, part) -> {
            z.add(name, ModelWeights.zeros(part.config()));
            part.tensors().values().forEach(t -> inParts.put(t, true));
        });
        tensors.forEach((name, t) -> {
            if (!inParts.containsKey(t)) {
                z.add(name, FloatMatrix.zeros(t.rows(), t.cols()));
            }
        });
        return z;
    }

    TensorSet copy() {
        TensorSet c = new TensorSet();
        Map<FloatMatrix, Boolean> inParts = new java.util.IdentityHashMap<>();
        parts.forEach((name, part) -> {
            c.add(name, part.copy());
            part.tensors().values().forEach(t -> inParts.put(t, true));
        });
        tensors.forEach((name, t) -> {
            if (!inParts.containsKey(t)) {
                c.add(name, t.copy());
            }
        });
        return c;
    }

    void fill(float value) {
        tensors.values().forEach(t -> java.util.Arrays.fill(t.data(), value));
    }

    /** A rows x cols tensor of N(0, std) values, as the transformer's own weights start. */
    static FloatMatrix gaussian(int rows, int cols, double std, Random random) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
        return new FloatMatrix(rows, cols, data);
    }
}
