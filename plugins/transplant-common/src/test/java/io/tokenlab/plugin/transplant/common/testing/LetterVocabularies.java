package io.tokenlab.plugin.transplant.common.testing;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small realistic transplant: the old vocabulary is every 1- and 2-letter string over "abcdef", the new
 * one keeps half of those and adds 3-letter strings. Vectors come from a shared latent space; a new
 * token's latent vector is near the mean of its 2-letter prefix and suffix, so pieces and neighbours
 * carry information, as subwords do in real vocabularies.
 */
public final class LetterVocabularies {
    public final EmbeddingTable base;
    public final EmbeddingTable auxiliary;
    public final List<String> target = new ArrayList<>();

    public LetterVocabularies(long seed) {
        Random r = new Random(seed);
        String letters = "abcdef";
        List<String> old = new ArrayList<>();
        for (char a : letters.toCharArray()) {
            old.add(String.valueOf(a));
        }
        for (char a : letters.toCharArray()) {
            for (char b : letters.toCharArray()) {
                old.add("" + a + b);
            }
        }
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fresh.add("" + letters.charAt(r.nextInt(6)) + letters.charAt(r.nextInt(6)) + letters.charAt(r.nextInt(6)) + i % 3);
        }
        int latent = 8;
        List<String> all = new ArrayList<>(old);
        all.addAll(fresh);
        float[][] z = new float[all.size()][latent];
        for (int i = 0; i < old.size(); i++) {
            for (int j = 0; j < latent; j++) {
                z[i][j] = (float) r.nextGaussian();
            }
        }
        for (int i = 0; i < fresh.size(); i++) {
            String t = fresh.get(i);
            float[] p = z[old.indexOf(t.substring(0, 2))];
            float[] s = z[old.indexOf(t.substring(1, 3))];
            for (int j = 0; j < latent; j++) {
                z[old.size() + i][j] = (p[j] + s[j]) / 2 + 0.1f * (float) r.nextGaussian();
            }
        }
        base = new EmbeddingTable(old, project(z, 0, old.size(), latent, 12, r));
        auxiliary = new EmbeddingTable(all, project(z, 0, all.size(), latent, 16, r));
        for (int i = 0; i < old.size(); i += 2) {
            target.add(old.get(i));
        }
        target.addAll(fresh);
    }

    public TransplantRequest request() {
        return new TransplantRequest(base, target, null, auxiliary);
    }

    private static FloatMatrix project(float[][] z, int from, int to, int latent, int dim, Random r) {
        float[][] w = new float[latent][dim];
        for (float[] row : w) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        float[] out = new float[(to - from) * dim];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < dim; j++) {
                float s = 0;
                for (int l = 0; l < latent; l++) {
                    s += z[i][l] * w[l][j];
                }
                out[(i - from) * dim + j] = s;
            }
        }
        return new FloatMatrix(to - from, dim, out);
    }
}
