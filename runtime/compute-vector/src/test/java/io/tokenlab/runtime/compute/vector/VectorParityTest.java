package io.tokenlab.runtime.compute.vector;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.compute.scalar.BackendParityKit;
import org.junit.jupiter.api.AfterAll;

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

    @AfterAll
    static void close() {
        VECTOR.close();
    }
}
