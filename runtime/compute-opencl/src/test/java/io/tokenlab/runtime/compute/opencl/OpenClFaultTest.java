package io.tokenlab.runtime.compute.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenlab.api.compute.ComputeBackendException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.References;
import org.junit.jupiter.api.Test;

/** Each way OpenCL can fail is a ComputeBackendException that says why, never a crash or a wrong answer. */
class OpenClFaultTest {
    private static final FloatMatrix SMALL = new FloatMatrix(2, 2, new float[] {1f, 2f, 3f, 4f});

    @Test
    void switchedOffByConfigurationIsPermanentAndSaysHow() {
        OpenClCompute off = new OpenClCompute(new OpenClSettings("none", Long.MAX_VALUE));
        assertThatThrownBy(() -> off.multiply(SMALL, SMALL)).isInstanceOf(OpenClException.class)
                .hasMessageContaining("tokenlab.opencl.device=none")
                .satisfies(e -> assertThat(((ComputeBackendException) e).isPermanent()).isTrue());
        assertThat(off.describe()).startsWith("opencl: unavailable");
    }

    @Test
    void unknownDeviceListsTheDevicesThereAre() {
        OpenClCompute missing = new OpenClCompute(new OpenClSettings("no-such-device-anywhere", Long.MAX_VALUE));
        try {
            missing.multiply(SMALL, SMALL);
        } catch (OpenClException e) {
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getMessage()).containsAnyOf("matches no device", "no OpenCL platform", "could not be loaded");
            return;
        }
        throw new AssertionError("a device selector that matches nothing must fail");
    }

    @Test
    void kernelThatDoesNotCompileReportsTheBuildLog() {
        assumeOpenCl();
        KernelSources bundled = KernelSources.bundled();
        KernelSources broken = file -> file.equals("rows.cl")
                ? bundled.source(file) + "\n__kernel void broken(__global float* x) { x[0] = undeclared_name; }\n"
                : bundled.source(file);
        OpenClCompute compute = new OpenClCompute(OpenClSettings.defaults(), broken);
        assertThatThrownBy(() -> compute.rowNorms(SMALL)).isInstanceOf(OpenClException.class)
                .hasMessageContaining("kernel build failed").hasMessageContaining("undeclared_name")
                .satisfies(e -> assertThat(((ComputeBackendException) e).isPermanent()).isTrue());
        // later calls fail fast with the same reason instead of rebuilding
        assertThatThrownBy(() -> compute.multiply(SMALL, SMALL)).hasMessageContaining("kernel build failed");
        compute.close();
    }

    @Test
    void bufferLargerThanTheDeviceAllowsFailsOnlyThatCall() {
        assumeOpenCl();
        OpenClCompute compute = new OpenClCompute(new OpenClSettings("", 64 * 1024));
        FloatMatrix big = FloatMatrix.zeros(200, 100); // 80 000 bytes > 64 KiB
        assertThatThrownBy(() -> compute.multiply(big, big.transpose())).isInstanceOf(OpenClException.class)
                .hasMessageContaining("CL_DEVICE_MAX_MEM_ALLOC_SIZE")
                .satisfies(e -> assertThat(((ComputeBackendException) e).isPermanent()).isFalse());
        assertThat(compute.multiply(SMALL, SMALL).data()).containsExactly(7f, 10f, 15f, 22f);
        compute.close();
    }

    private static void assumeOpenCl() {
        OpenClCompute probe = new OpenClCompute(OpenClSettings.defaults());
        try {
            References.require(!probe.describe().startsWith("opencl: unavailable"), "an OpenCL device ("
                    + probe.describe() + ")", "pocl-opencl-icd ocl-icd-opencl-dev");
        } finally {
            probe.close();
        }
    }
}
