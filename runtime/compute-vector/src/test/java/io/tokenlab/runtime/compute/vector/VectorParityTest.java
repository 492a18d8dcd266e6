package io.tokenlab.runtime.compute.vector;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.compute.scalar.BackendParityKit;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;


/** Every operation of the Vector API backend against the scalar reference. */
class VectorParityTest extends BackendParityKit {
    private static final VectorCompute VECTOR = new VectorCompute(2);

    @Override
    protected Compute backend() {
        return VECTOR;
    }

    /** Large enough to cross the threading thresholds and more than one K block of the packed product. */
    @Override
    protected int largeSize() {
        return 301;
    }

    /**
     * A set against itself takes the symmetric product (upper tiles, then mirrored): shapes that cross
     * the K block (256), the column block (128 panels) and partial tiles, against the scalar reference;
     * the result is exactly symmetric.
     */
    @Test
    void selfSimilarityComputesTheUpperTilesAndMirrorsThem() {
        ScalarCompute reference = new ScalarCompute();
        for (int[] s : new int[][] {{0, 5}, {1, 1}, {7, 3}, {97, 300}, {301, 45}, {2 * PackedGemm.NR * 128 + 13, 11}}) {
            FloatMatrix x = random(s[0], s[1]);
            FloatMatrix ours = VECTOR.cosineSimilarity(x, x);
            assertClose("cosine self " + x.shape(), reference.cosineSimilarity(x, x), ours, 2e-5f);
            assertExactlySymmetric("cosine self " + x.shape(), ours);
        }
    }

    @AfterAll
    static void close() {
        VECTOR.close();
    }
}
