// Row-wise kernels: one work-item per row (or per column for column means). The rows of the
// techniques are long (vocabularies, features) and many, so a row per work-item keeps every lane busy
// without reductions across work-items. Ordering rules match the scalar reference: larger first,
// NaN below every number, ties to the lower index.

inline bool ranks_above(float v, float w) {
    return !isnan(v) && (isnan(w) || v > w);
}

__kernel void row_norms(const int rows, const int cols, const int squared,
                        __global const float* x, __global float* out)
{
    int i = get_global_id(0);
    if (i >= rows) return;
    __global const float* row = x + (long) i * cols;
    float s = 0.0f;
    for (int j = 0; j < cols; j++) s = fma(row[j], row[j], s);
    out[i] = squared ? s : sqrt(s);
}

__kernel void normalize_rows(const int rows, const int cols, __global const float* x, __global float* out)
{
    int i = get_global_id(0);
    if (i >= rows) return;
    __global const float* row = x + (long) i * cols;
    __global float* dst = out + (long) i * cols;
    float s = 0.0f;
    for (int j = 0; j < cols; j++) s = fma(row[j], row[j], s);
    float norm = sqrt(s);
    float inv = norm == 0.0f ? 0.0f : 1.0f / norm;
    for (int j = 0; j < cols; j++) dst[j] = row[j] * inv;
}

// mode 0: probabilities, 1: log-probabilities, 2: logsumexp into out[i].
// A row with NaN, a row whose maximum is +inf and a row of only -inf are special, as in the reference.
__kernel void softmax_rows(const int rows, const int cols, const int mode,
                           __global const float* x, __global float* out)
{
    int i = get_global_id(0);
    if (i >= rows) return;
    __global const float* row = x + (long) i * cols;
    __global float* dst = out + (long) i * cols;
    float m = -INFINITY;
    bool nan = false;
    for (int j = 0; j < cols; j++) {
        nan |= isnan(row[j]);
        m = fmax(m, row[j]);
    }
    if (nan) m = NAN;
    if (isnan(m) || isinf(m)) {
        if (mode == 2) out[i] = m;
        else for (int j = 0; j < cols; j++) dst[j] = NAN;
        return;
    }
    float s = 0.0f;
    for (int j = 0; j < cols; j++) s += exp(row[j] - m);
    if (mode == 2) {
        out[i] = m + log(s);
    } else if (mode == 1) {
        float shift = m + log(s);
        for (int j = 0; j < cols; j++) dst[j] = row[j] - shift;
    } else {
        float inv = 1.0f / s;
        for (int j = 0; j < cols; j++) dst[j] = exp(row[j] - m) * inv;
    }
}

__kernel void argmax_rows(const int rows, const int cols, __global const float* x, __global int* out)
{
    int i = get_global_id(0);
    if (i >= rows) return;
    __global const float* row = x + (long) i * cols;
    int best = 0;
    float bestValue = row[0];
    for (int j = 1; j < cols; j++) {
        if (ranks_above(row[j], bestValue)) { best = j; bestValue = row[j]; }
    }
    out[i] = best;
}

// Insertion into a sorted prefix of length k: most values of a long row fail the first comparison
// with the current k-th value, so this is close to one pass over the row for small k.
__kernel void topk_rows(const int rows, const int cols, const int k, __global const float* x,
                        __global float* values, __global int* indices)
{
    int i = get_global_id(0);
    if (i >= rows) return;
    __global const float* row = x + (long) i * cols;
    __global float* vals = values + (long) i * k;
    __global int* idx = indices + (long) i * k;
    int filled = 0;
    for (int j = 0; j < cols; j++) {
        float v = row[j];
        if (filled == k) {
            if (!ranks_above(v, vals[k - 1])) continue;
            filled--;
        }
        int pos = filled;
        while (pos > 0 && ranks_above(v, vals[pos - 1])) {
            vals[pos] = vals[pos - 1];
            idx[pos] = idx[pos - 1];
            pos--;
        }
        vals[pos] = v;
        idx[pos] = j;
        filled++;
    }
}

// Kahan-compensated sums: a float column of 100k rows would otherwise lose about four digits.
__kernel void column_means(const int rows, const int cols, __global const float* x, __global float* out)
{
    int j = get_global_id(0);
    if (j >= cols) return;
    float sum = 0.0f, carry = 0.0f;
    for (int i = 0; i < rows; i++) {
        float y = x[(long) i * cols + j] - carry;
        float t = sum + y;
        carry = (t - sum) - y;
        sum = t;
    }
    out[j] = sum / rows;
}
