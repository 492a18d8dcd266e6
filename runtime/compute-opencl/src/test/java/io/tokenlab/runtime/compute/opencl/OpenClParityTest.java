package io.tokenlab.runtime.compute.opencl;


import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.ComputeBackendException;
import io.tokenlab.api.testkit.References;
import io.tokenlab.runtime.compute.scalar.BackendParityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every operation of the OpenCL backend against the scalar reference, on the device the defaults pick
 * (POCL's CPU device on the build machines). On a machine without any OpenCL platform it is skipped
 * (the fault tests prove the fallback there), except under .ci/test, which installs POCL: there it fails.
 */
class OpenClParityTest extends BackendParityKit {
    private static OpenClCompute openCl;

    @BeforeAll
    static void open() {
        openCl = new OpenClCompute(OpenClSettings.defaults());
        try {
            openCl.rowNorms(new io.tokenlab.api.compute.FloatMatrix(1, 1, new float[] {1f}));
        } catch (ComputeBackendException e) {
            References.require(false, "an OpenCL device (" + e.getMessage() + ")", "pocl-opencl-icd ocl-icd-opencl-dev");
        }
    }

    @AfterAll
    static void close() {
        openCl.close();
    }

    @Override
    protected Compute backend() {
        return openCl;
    }

    /** Crosses more than one 64 x 64 tile in every dimension, with ragged edges. */
    @Override
    protected int largeSize() {
        return 141;
    }
}
