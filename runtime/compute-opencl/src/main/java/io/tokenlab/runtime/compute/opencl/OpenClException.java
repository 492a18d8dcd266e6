package io.tokenlab.runtime.compute.opencl;

import io.tokenlab.api.compute.ComputeBackendException;
import org.jocl.CL;
import org.jocl.CLException;

/** Why the OpenCL backend could not serve a call, in words an operator can act on. */
public final class OpenClException extends ComputeBackendException {
    private static final long serialVersionUID = 1L;

    private OpenClException(boolean permanent, String message, Throwable cause) {
        super(OpenClCompute.NAME, permanent, message, cause);
    }

    static OpenClException unavailable(String message, Throwable cause) {
        return new OpenClException(true, message, cause);
    }

    static OpenClException buildFailed(String log, Throwable cause) {
        return new OpenClException(true, "kernel build failed:\n" + log, cause);
    }

    static OpenClException tooLarge(long bytes, long limit, String what) {
        return new OpenClException(false, what + " needs a buffer of " + mib(bytes) + ", the device allows at most "
                + mib(limit) + " per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE)", null);
    }

    /** A CL error during a call: out-of-memory kinds fail only this call, anything else disables the backend. */
    static OpenClException fromCl(String what, CLException e) {
        int status = e.getStatus();
        boolean memory = status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY || status == CL.CL_INVALID_BUFFER_SIZE;
        String name = CL.stringFor_errorCode(status);
        return new OpenClException(!memory, what + " failed on the device: " + name
                + (memory ? " (device memory exhausted for this call)" : ""), e);
    }

    static String mib(long bytes) {
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        return bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
