package io.tokenlab.runtime.compute.scalar;

/** Helpers for symmetric products ({@code A A^T}), which backends compute one triangle of. */
public final class Symmetric {
    private static final int TILE = 64;

    private Symmetric() {
    }

    /**
     * {@code c[i][j] = c[j][i]} for every {@code i > j} of the row-major m x m matrix, in square
     * blocks so that the rows read and the rows written both stay in cache.
     */
    public static void mirrorUpperToLower(float[] c, int m) {
        for (int bi = 0; bi < m; bi += TILE) {
            int iEnd = Math.min(m, bi + TILE);
            for (int bj = 0; bj <= bi; bj += TILE) {
                for (int i = bi; i < iEnd; i++) {
                    int jEnd = Math.min(i, bj + TILE);
                    for (int j = bj; j < jEnd; j++) {
                        c[i * m + j] = c[j * m + i];
                    }
                }
            }
        }
    }
}
