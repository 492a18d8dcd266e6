package io.tokenlab.runtime.compute.opencl;

import java.util.function.UnaryOperator;

/**
 * How the OpenCL backend picks its device, from framework or system properties:
 * <ul>
 *   <li>{@value #DEVICE}: {@code gpu}, {@code cpu}, {@code accelerator}, a platform:device index pair
 *       such as {@code 0:1}, a case-insensitive part of "platform / device" names, or {@code none} to
 *       switch OpenCL off. Unset: the first GPU, else the first device of any kind.</li>
 *   <li>{@value #MAX_ALLOC}: caps the largest buffer below the device's own limit (a shared GPU, or a
 *       test that needs a call to be too large).</li>
 *   <li>{@value #GEMM_KERNEL}: {@code tiled} (local memory, for GPUs), {@code blocked} (registers only,
 *       for CPU drivers) or {@code auto} (by device type, the default).</li>
 * </ul>
 */
public record OpenClSettings(String device, long maxAllocBytes, GemmKernel gemmKernel) {
    public static final String DEVICE = "tokenlab.opencl.device";
    public static final String MAX_ALLOC = "tokenlab.opencl.maxAllocBytes";
    public static final String GEMM_KERNEL = "tokenlab.opencl.gemmKernel";

    /** Which matrix-product kernel runs. */
    public enum GemmKernel { AUTO, TILED, BLOCKED }

    public OpenClSettings(String device, long maxAllocBytes) {
        this(device, maxAllocBytes, GemmKernel.AUTO);
    }

    public static OpenClSettings defaults() {
        return new OpenClSettings("", Long.MAX_VALUE);
    }

    public static OpenClSettings from(UnaryOperator<String> properties) {
        String device = properties.apply(DEVICE);
        String cap = properties.apply(MAX_ALLOC);
        long maxAlloc = Long.MAX_VALUE;
        if (cap != null && !cap.isBlank()) {
            try {
                maxAlloc = Long.parseLong(cap.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MAX_ALLOC + " must be a number of bytes, got '" + cap + "'", e);
            }
        }
        String kernel = properties.apply(GEMM_KERNEL);
        GemmKernel gemm;
        try {
            gemm = kernel == null || kernel.isBlank() ? GemmKernel.AUTO
                    : GemmKernel.valueOf(kernel.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(GEMM_KERNEL + " must be auto, tiled or blocked, got '" + kernel + "'", e);
        }
        return new OpenClSettings(device == null ? "" : device.trim(), maxAlloc, gemm);
    }

    boolean disabled() {
        return device.equalsIgnoreCase("none");
    }
}
