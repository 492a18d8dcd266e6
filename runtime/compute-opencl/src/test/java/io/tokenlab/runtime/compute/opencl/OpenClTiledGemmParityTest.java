package io.tokenlab.runtime.compute.opencl;


import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.References;
import io.tokenlab.runtime.compute.scalar.BackendParityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The local-memory tiled product that GPUs run, forced onto whatever device is here, so that the GPU
 * path is checked on CPU-only build machines too.
 */
class OpenClTiledGemmParityTest extends BackendParityKit {
    private static OpenClCompute openCl;

    @BeforeAll
    static void open() {
        openCl = new OpenClCompute(new OpenClSettings("", Long.MAX_VALUE, OpenClSettings.GemmKernel.TILED));
        References.require(!openCl.describe().startsWith("opencl: unavailable"), "an OpenCL device ("
                + openCl.describe() + ")", "pocl-opencl-icd ocl-icd-opencl-dev");
        openCl.rowNorms(new FloatMatrix(1, 1, new float[] {1f}));
    }

    @AfterAll
    static void close() {
        openCl.close();
    }

    @Override
    protected Compute backend() {
        return openCl;
    }

    @Override
    protected int largeSize() {
        return 141;
    }
}
