package io.tokenlab.runtime.compute;

/**
 * The families of operations whose cost grows alike, with the size measure the dispatcher compares
 * backends by. A product's cost follows its multiply-adds; a row-wise pass follows its elements.
 */
public enum Workload {
    /** gemm and what is built on it: similarity, distances, nearest centroid. Size: m * n * k. */
    PRODUCT("product", "multiply-adds"),
    /** Norms, normalisation, softmax family, column means. Size: elements. */
    ROWWISE("row-wise", "elements"),
    /** top-k and argmax. Size: elements. */
    SELECTION("selection", "elements");

    private final String label;
    private final String unit;

    Workload(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }
}
