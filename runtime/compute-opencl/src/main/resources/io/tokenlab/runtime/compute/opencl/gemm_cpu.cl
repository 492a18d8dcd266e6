// C = alpha * op(A) * op(B) + beta * C for CPU devices (POCL and other CPU drivers).
// The tiled kernel in gemm.cl keeps its accumulators across barriers, which CPU drivers implement by
// storing every work-item's private state to memory at each barrier. This kernel has no barrier and no
// local memory: one work-item holds a CPU_M x 16 block of C in eight float8 registers (register
// blocking) and streams op(A) and a packed panel of op(B) through the caches, as a BLAS micro-kernel.
//
// op(B) is first packed into panels 16 columns wide, each panel K x 16 contiguous and zero padded
// (pack_b_panels). Read in place, a 16-column strip of a row-major B steps by the row length, and when
// that is a power of two (1024, 2048 floats) every row of the strip falls into the same cache set: the
// product then runs twenty times slower than at 1000.

#define CPU_M 4
#define PANEL 16

// panels[(j / 16) * K * 16 + p * 16 + j % 16] = op(B)(p, j), where op(B)(p, j) = B[p * sbp + j * sbj].
__kernel void pack_b_panels(const int K, const int N, __global const float* B, const int sbp, const int sbj,
                            __global float* panels)
{
    const int j = get_global_id(0);
    const int p = get_global_id(1);
    if (p >= K) return;
    const int panelCount = (N + PANEL - 1) / PANEL;
    if (j >= panelCount * PANEL) return;
    panels[(long) (j / PANEL) * K * PANEL + (long) p * PANEL + j % PANEL] =
        j < N ? B[(long) p * sbp + (long) j * sbj] : 0.0f;
}

__kernel void gemm_cpu(const int M, const int N, const int K, const float alpha,
                       __global const float* A, const int sai, const int sap,
                       __global const float* panels,
                       const float beta, __global float* C, const int upperOnly)
{
    // Dimension 0 walks down the rows: neighbouring work-items, which a CPU driver runs one after the
    // other, share one panel of op(B), so it stays in cache while op(A) streams past it.
    const int i0 = get_global_id(0) * CPU_M;
    const int panel = get_global_id(1);
    const int j0 = panel * PANEL;
    if (j0 >= N || i0 >= M) return;
    // upperOnly (C = A A^T, symmetric): a block wholly below the diagonal is mirrored by the host
    if (upperOnly && j0 + PANEL <= i0) return;
    // rows past the end read the last row again; their results are never stored
    __global const float* a0 = A + (long) i0 * sai;
    __global const float* a1 = A + (long) min(i0 + 1, M - 1) * sai;
    __global const float* a2 = A + (long) min(i0 + 2, M - 1) * sai;
    __global const float* a3 = A + (long) min(i0 + 3, M - 1) * sai;
    __global const float* b = panels + (long) panel * K * PANEL;
    float8 c00 = 0.0f, c01 = 0.0f, c10 = 0.0f, c11 = 0.0f, c20 = 0.0f, c21 = 0.0f, c30 = 0.0f, c31 = 0.0f;
    for (int p = 0; p < K; p++, b += PANEL) {
        const float8 b0 = vload8(0, b);
        const float8 b1 = vload8(1, b);
        const long pa = (long) p * sap;
        float8 x = (float8) a0[pa];
        c00 = fma(x, b0, c00); c01 = fma(x, b1, c01);
        x = (float8) a1[pa];
        c10 = fma(x, b0, c10); c11 = fma(x, b1, c11);
        x = (float8) a2[pa];
        c20 = fma(x, b0, c20); c21 = fma(x, b1, c21);
        x = (float8) a3[pa];
        c30 = fma(x, b0, c30); c31 = fma(x, b1, c31);
    }
    float block[CPU_M][PANEL];
    vstore8(c00, 0, block[0]); vstore8(c01, 1, block[0]);
    vstore8(c10, 0, block[1]); vstore8(c11, 1, block[1]);
    vstore8(c20, 0, block[2]); vstore8(c21, 1, block[2]);
    vstore8(c30, 0, block[3]); vstore8(c31, 1, block[3]);
    for (int r = 0; r < CPU_M && i0 + r < M; r++) {
        __global float* out = C + (long) (i0 + r) * N + j0;
        for (int j = 0; j < PANEL && j0 + j < N; j++) {
            // beta == 0 means C is not read, as in BLAS
            float v = alpha * block[r][j];
            out[j] = beta == 0.0f ? v : v + beta * out[j];
        }
    }
}
