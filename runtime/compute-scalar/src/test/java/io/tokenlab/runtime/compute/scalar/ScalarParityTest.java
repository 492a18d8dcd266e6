package io.tokenlab.runtime.compute.scalar;

import io.tokenlab.api.compute.Compute;

/** The kit run on the reference itself: proves the kit's edge cases are well defined and its bounds hold. */
class ScalarParityTest extends BackendParityKit {
    @Override
    protected Compute backend() {
        return new ScalarCompute();
    }
}
