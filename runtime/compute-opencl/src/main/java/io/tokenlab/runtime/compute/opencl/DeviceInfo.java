package io.tokenlab.runtime.compute.opencl;

import static org.jocl.CL.*;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** What a device is and what it can hold, read once from the driver. */
record DeviceInfo(cl_platform_id platform, cl_device_id device, String platformName, String deviceName,
                  String type, long globalMemory, long maxAlloc, int computeUnits, long maxWorkGroupSize) {

    static DeviceInfo read(cl_platform_id platform, cl_device_id device) {
        long type = longInfo(device, CL_DEVICE_TYPE);
        return new DeviceInfo(platform, device, platformString(platform, CL_PLATFORM_NAME),
                deviceString(device, CL_DEVICE_NAME), typeName(type), longInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                longInfo(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE), (int) intInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                sizeInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
    }

    String describe(long maxAllocCap) {
        return platformName + " / " + deviceName + " (" + type + ", " + computeUnits + " compute units), global memory "
                + OpenClException.mib(globalMemory) + ", max buffer " + OpenClException.mib(Math.min(maxAlloc, maxAllocCap));
    }

    private static String typeName(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return "gpu";
        }
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            return "cpu";
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        }
        return "other";
    }

    private static long longInfo(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_long, Pointer.to(value), null);
        return value[0];
    }

    private static long intInfo(cl_device_id device, int param) {
        int[] value = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_int, Pointer.to(value), null);
        return value[0];
    }

    private static long sizeInfo(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        if (size[0] == Sizeof.cl_int) {
            return intInfo(device, param);
        }
        return longInfo(device, param);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return new String(buffer, 0, Math.max(0, buffer.length - 1), java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return new String(buffer, 0, Math.max(0, buffer.length - 1), java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
