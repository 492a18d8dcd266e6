package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two embedding spaces that are linear images of one latent space (base = Z W_b, donor = Z W_d), the
 * situation OMP's transfer assumes: coefficients that rebuild a donor vector from anchors rebuild the
 * base vector too. The new vocabulary shares its first tokens with the old one and adds new ones.
 */
final class LinearSpaces {
    final EmbeddingTable base;
    final EmbeddingTable donor;
    final FloatMatrix trueNewBase;
    final List<String> target;
    final int shared;

    LinearSpaces(int oldTokens, int newTokens, int latent, int baseDim, int donorDim, long seed) {
        Random r = new Random(seed);
        int total = oldTokens + newTokens;
        float[][] z = new float[total][latent];
        for (float[] row : z) {
            for (int j = 0; j < latent; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        float[][] wb = gaussian(latent, baseDim, r);
        float[][] wd = gaussian(latent, donorDim, r);
        List<String> oldVocab = new ArrayList<>();
        List<String> donorVocab = new ArrayList<>();
        float[] b = new float[oldTokens * baseDim];
        float[] d = new float[total * donorDim];
        float[] truth = new float[newTokens * baseDim];
        for (int i = 0; i < total; i++) {
            String name = "tok" + i;
            donorVocab.add(name);
            project(z[i], wd, d, i * donorDim);
            if (i < oldTokens) {
                oldVocab.add(name);
                project(z[i], wb, b, i * baseDim);
            } else {
                project(z[i], wb, truth, (i - oldTokens) * baseDim);
            }
        }
        base = new EmbeddingTable(oldVocab, new FloatMatrix(oldTokens, baseDim, b));
        donor = new EmbeddingTable(donorVocab, new FloatMatrix(total, donorDim, d));
        trueNewBase = new FloatMatrix(newTokens, baseDim, truth);
        // the new vocabulary: the first half of the old tokens, then all new tokens
        shared = oldTokens / 2;
        target = new ArrayList<>(donorVocab.subList(0, shared));
        target.addAll(donorVocab.subList(oldTokens, total));
    }

    TransplantRequest request() {
        return new TransplantRequest(base, target, null, donor);
    }

    private static float[][] gaussian(int rows, int cols, Random r) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (r.nextGaussian() / Math.sqrt(rows));
            }
        }
        return m;
    }

    private static void project(float[] z, float[][] w, float[] out, int offset) {
        for (int j = 0; j < w[0].length; j++) {
            float s = 0;
            for (int l = 0; l < z.length; l++) {
                s += z[l] * w[l][j];
            }
            out[offset + j] = s;
        }
    }
}
