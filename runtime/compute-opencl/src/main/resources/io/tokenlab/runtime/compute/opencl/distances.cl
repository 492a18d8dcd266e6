// Finishing steps after a product on the device: cosine from dot products of unit rows needs none;
// squared distances and nearest centroid expand ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b, where the
// -2 a.b came from the product (alpha = -2).

__kernel void add_norms_clamp(const int rows, const int cols, __global float* d,
                              __global const float* rowNorms, __global const float* colNorms)
{
    int j = get_global_id(0);
    int i = get_global_id(1);
    if (i >= rows || j >= cols) return;
    long o = (long) i * cols + j;
    d[o] = fmax(0.0f, d[o] + rowNorms[i] + colNorms[j]);
}

// For each point of a chunk: the centroid with the least ||c||^2 - 2 x.c (lowest index on ties,
// NaN never chosen unless all are NaN), then the exact squared distance to it, so that the returned
// distance carries no cancellation error from the expansion.
__kernel void nearest_centroid(const int count, const int k, const int d, const int first,
                               __global const float* dots, __global const float* centroidNorms,
                               __global const float* points, __global const float* centroids,
                               __global int* best, __global float* distance)
{
    int r = get_global_id(0);
    if (r >= count) return;
    __global const float* row = dots + (long) r * k;
    int chosen = -1;
    float chosenValue = 0.0f;
    for (int j = 0; j < k; j++) {
        float v = row[j] + centroidNorms[j];
        if (!isnan(v) && (chosen < 0 || v < chosenValue)) { chosen = j; chosenValue = v; }
    }
    if (chosen < 0) chosen = 0;
    __global const float* x = points + (long) r * d;
    __global const float* c = centroids + (long) chosen * d;
    float s = 0.0f;
    for (int p = 0; p < d; p++) { float diff = x[p] - c[p]; s += diff * diff; }
    best[first + r] = chosen;
    distance[first + r] = s;
}
