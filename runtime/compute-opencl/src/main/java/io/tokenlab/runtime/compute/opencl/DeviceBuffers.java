package io.tokenlab.runtime.compute.opencl;

import static org.jocl.CL.*;

import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers kept across calls, one per role (left operand, right operand, result, ...). A buffer
 * only grows: repeated calls of similar shape allocate nothing, and the driver is spared the
 * allocate/free churn that dominates small calls. Every request is checked against the device's
 * largest allowed buffer before the driver is asked.
 */
final class DeviceBuffers {
    private record Held(cl_mem mem, long bytes) {
    }

    private final cl_context context;
    private final long maxAlloc;
    private final Map<String, Held> held = new HashMap<>();

    DeviceBuffers(cl_context context, long maxAlloc) {
        this.context = context;
        this.maxAlloc = maxAlloc;
    }

    long maxAlloc() {
        return maxAlloc;
    }

    /** A buffer of at least {@code bytes} for {@code role}; its contents are undefined. */
    cl_mem get(String role, long bytes, String operation) {
        long needed = Math.max(bytes, 4);
        if (needed > maxAlloc) {
            throw OpenClException.tooLarge(needed, maxAlloc, operation);
        }
        Held h = held.get(role);
        if (h != null && h.bytes >= needed) {
            return h.mem;
        }
        if (h != null) {
            clReleaseMemObject(h.mem);
            held.remove(role);
        }
        // a little headroom so that a slowly growing shape does not reallocate on every call
        long size = Math.min(maxAlloc, needed + needed / 4);
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        held.put(role, new Held(mem, size));
        return mem;
    }

    void releaseAll() {
        for (Held h : held.values()) {
            clReleaseMemObject(h.mem);
        }
        held.clear();
    }
}
