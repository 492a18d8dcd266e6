package io.tokenlab.runtime.compute.opencl;

import static org.jocl.CL.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * One device's context, queue, program and buffers. The program (all kernel files together) is built
 * the first time a kernel is needed and kept for the life of the context, as are its kernels.
 * Not thread-safe: {@link OpenClCompute} serialises calls on its one queue.
 */
final class OpenClSession implements AutoCloseable {
    final DeviceInfo device;
    final DeviceBuffers buffers;
    /** True: the register-blocked kernel without barriers; false: the local-memory tiled one. */
    final boolean blockedGemm;
    private final cl_context context;
    private final cl_command_queue queue;
    private final KernelSources sources;
    private cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    private OpenClSession(DeviceInfo device, OpenClSettings settings, KernelSources sources) {
        this.device = device;
        this.blockedGemm = settings.gemmKernel() == OpenClSettings.GemmKernel.BLOCKED
                || settings.gemmKernel() == OpenClSettings.GemmKernel.AUTO && device.type().equals("cpu");
        this.sources = sources;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(properties, 1, new cl_device_id[] {device.device()}, null, null, null);
        // clCreateCommandQueue is deprecated in OpenCL 2.0 but is the one call every 1.2 driver has
        @SuppressWarnings("deprecation")
        cl_command_queue q = clCreateCommandQueue(context, device.device(), 0, null);
        this.queue = q;
        this.buffers = new DeviceBuffers(context, Math.min(device.maxAlloc(), settings.maxAllocBytes()));
    }

    static OpenClSession open(OpenClSettings settings, KernelSources sources) {
        if (settings.disabled()) {
            throw OpenClException.unavailable("switched off by " + OpenClSettings.DEVICE + "=none", null);
        }
        try {
            setExceptionsEnabled(true);
        } catch (LinkageError e) {
            throw OpenClException.unavailable("the JOCL native library or libOpenCL could not be loaded ("
                    + e.getMessage() + "); install an OpenCL ICD loader (ocl-icd-libopencl1) and a driver", e);
        }
        try {
            DeviceInfo device = DeviceChooser.choose(settings.device());
            return new OpenClSession(device, settings, sources);
        } catch (CLException e) {
            throw OpenClException.unavailable("no usable OpenCL platform: " + stringFor_errorCode(e.getStatus()), e);
        }
    }

    cl_kernel kernel(String name) {
        if (program == null) {
            program = build();
        }
        return kernels.computeIfAbsent(name, n -> clCreateKernel(program, n, null));
    }

    private cl_program build() {
        List<String> texts = KernelSources.FILES.stream().map(sources::source).toList();
        cl_program p = clCreateProgramWithSource(context, texts.size(), texts.toArray(String[]::new), null, null);
        try {
            clBuildProgram(p, 0, null, "-cl-std=CL1.2", null, null);
            return p;
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw OpenClException.buildFailed(log, e);
        }
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    /** Runs a kernel; arguments are Integer, Float or cl_mem, in the kernel's order. */
    void run(String name, long[] global, long[] local, Object... args) {
        cl_kernel k = kernel(name);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) {
                clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof cl_mem v) {
                clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(v));
            } else {
                throw new IllegalArgumentException("kernel argument " + i + " of " + name + ": " + a);
            }
        }
        clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    /** Copies {@code count} floats from {@code data[from]} into the role's buffer. */
    cl_mem upload(String role, float[] data, int from, int count, String operation) {
        cl_mem mem = buffers.get(role, (long) count * Sizeof.cl_float, operation);
        if (count > 0) {
            clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, (long) count * Sizeof.cl_float,
                    Pointer.to(data).withByteOffset((long) from * Sizeof.cl_float), 0, null, null);
        }
        return mem;
    }

    void download(cl_mem mem, float[] into, int count) {
        if (count > 0) {
            clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, (long) count * Sizeof.cl_float, Pointer.to(into), 0, null,
                    null);
        }
    }

    void download(cl_mem mem, int[] into, int count) {
        if (count > 0) {
            clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, (long) count * Sizeof.cl_int, Pointer.to(into), 0, null,
                    null);
        }
    }

    @Override
    public void close() {
        buffers.releaseAll();
        kernels.values().forEach(org.jocl.CL::clReleaseKernel);
        kernels.clear();
        if (program != null) {
            clReleaseProgram(program);
        }
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
