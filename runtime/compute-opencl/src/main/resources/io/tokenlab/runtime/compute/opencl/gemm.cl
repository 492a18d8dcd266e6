// C = alpha * op(A) * op(B) + beta * C, row-major C (M x N, row length N).
// Operands are addressed through strides so that one kernel serves all four transpose cases:
//   op(A)(i, p) = A[i * sai + p * sap],   op(B)(p, j) = B[p * sbp + j * sbj].
// A work-group computes a TILE_M x TILE_N tile of C. Each K step stages TILE_K columns of op(A) and
// TILE_K rows of op(B) in local memory; each work-item then keeps a REG_M x REG_N block of C in
// registers (register blocking), reading each staged value once per REG_N (or REG_M) products.
// Work-items of one row of the group read neighbouring columns, which POCL turns into vector lanes
// on a CPU and which avoids bank conflicts on a GPU.
// With upperOnly set, tiles wholly below the diagonal are skipped (the caller mirrors them).

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define REG_M 4
#define REG_N 4
#define GROUP_N (TILE_N / REG_N)
#define GROUP_M (TILE_M / REG_M)
#define GROUP_SIZE (GROUP_N * GROUP_M)

__kernel __attribute__((reqd_work_group_size(GROUP_N, GROUP_M, 1)))
void gemm(const int M, const int N, const int K, const float alpha,
          __global const float* A, const int sai, const int sap,
          __global const float* B, const int sbp, const int sbj,
          const float beta, __global float* C, const int upperOnly)
{
    __local float tileA[TILE_K][TILE_M];
    __local float tileB[TILE_K][TILE_N];

    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int lid = ty * GROUP_N + tx;
    const int row0 = get_group_id(1) * TILE_M;
    const int col0 = get_group_id(0) * TILE_N;
    // upperOnly (C = A A^T, symmetric): a tile wholly below the diagonal is mirrored by the host. The
    // whole group returns together, before any barrier.
    if (upperOnly && col0 + TILE_N <= row0) return;

    float acc[REG_M][REG_N];
    for (int r = 0; r < REG_M; r++)
        for (int c = 0; c < REG_N; c++)
            acc[r][c] = 0.0f;

    for (int p0 = 0; p0 < K; p0 += TILE_K) {
        // Staging: consecutive work-items take consecutive addresses of whichever index is contiguous
        // in global memory, so the reads coalesce for every transpose case.
        for (int e = lid; e < TILE_K * TILE_M; e += GROUP_SIZE) {
            int kk, ii;
            if (sap == 1) { kk = e % TILE_K; ii = e / TILE_K; } else { ii = e % TILE_M; kk = e / TILE_M; }
            int i = row0 + ii, p = p0 + kk;
            tileA[kk][ii] = (i < M && p < K) ? A[i * sai + p * sap] : 0.0f;
        }
        for (int e = lid; e < TILE_K * TILE_N; e += GROUP_SIZE) {
            int kk, jj;
            if (sbj == 1) { jj = e % TILE_N; kk = e / TILE_N; } else { kk = e % TILE_K; jj = e / TILE_K; }
            int j = col0 + jj, p = p0 + kk;
            tileB[kk][jj] = (j < N && p < K) ? B[p * sbp + j * sbj] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        for (int kk = 0; kk < TILE_K; kk++) {
            float a[REG_M];
            float b[REG_N];
            for (int r = 0; r < REG_M; r++) a[r] = tileA[kk][ty + r * GROUP_M];
            for (int c = 0; c < REG_N; c++) b[c] = tileB[kk][tx + c * GROUP_N];
            for (int r = 0; r < REG_M; r++)
                for (int c = 0; c < REG_N; c++)
                    acc[r][c] = fma(a[r], b[c], acc[r][c]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int r = 0; r < REG_M; r++) {
        int i = row0 + ty + r * GROUP_M;
        if (i >= M) continue;
        for (int c = 0; c < REG_N; c++) {
            int j = col0 + tx + c * GROUP_N;
            if (j >= N) continue;
            // beta == 0 means C is not read, as in BLAS: it may hold garbage or NaN
            float v = alpha * acc[r][c];
            C[i * N + j] = beta == 0.0f ? v : v + beta * C[i * N + j];
        }
    }
}
