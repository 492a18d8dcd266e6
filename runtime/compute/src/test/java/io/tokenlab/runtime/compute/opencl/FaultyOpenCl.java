package io.tokenlab.runtime.compute.opencl;

/** Reaches the OpenCL backend's package-private kernel-source hook from the dispatcher's tests. */
public final class FaultyOpenCl {
    private FaultyOpenCl() {
    }

    /** An OpenCL backend whose rows.cl carries a kernel that does not compile. */
    public static OpenClCompute withBrokenKernel() {
        KernelSources bundled = KernelSources.bundled();
        return new OpenClCompute(OpenClSettings.defaults(), file -> file.equals("rows.cl")
                ? bundled.source(file) + "\n__kernel void broken(__global float* x) { x[0] = undeclared_name; }\n"
                : bundled.source(file));
    }
}
