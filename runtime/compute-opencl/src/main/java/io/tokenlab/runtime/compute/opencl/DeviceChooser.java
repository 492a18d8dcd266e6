package io.tokenlab.runtime.compute.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Lists the OpenCL devices of every platform and picks the one the settings ask for. */
final class DeviceChooser {
    private DeviceChooser() {
    }

    static List<List<DeviceInfo>> listAll() {
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<List<DeviceInfo>> all = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            List<DeviceInfo> devices = new ArrayList<>();
            int[] deviceCount = new int[1];
            try {
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
            } catch (org.jocl.CLException e) {
                all.add(devices); // a platform without devices answers CL_DEVICE_NOT_FOUND
                continue;
            }
            cl_device_id[] ids = new cl_device_id[deviceCount[0]];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (cl_device_id id : ids) {
                devices.add(DeviceInfo.read(platform, id));
            }
            all.add(devices);
        }
        return all;
    }

    static DeviceInfo choose(String selector) {
        List<List<DeviceInfo>> all = listAll();
        List<DeviceInfo> flat = all.stream().flatMap(List::stream).toList();
        if (flat.isEmpty()) {
            throw OpenClException.unavailable("no OpenCL platform with a device found (install an ICD, e.g."
                    + " pocl-opencl-icd, or a GPU driver)", null);
        }
        String s = selector.toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return flat.stream().filter(d -> d.type().equals("gpu")).findFirst().orElse(flat.get(0));
        }
        if (s.matches("\\d+:\\d+")) {
            String[] parts = s.split(":");
            int p = Integer.parseInt(parts[0]);
            int d = Integer.parseInt(parts[1]);
            if (p < all.size() && d < all.get(p).size()) {
                return all.get(p).get(d);
            }
        } else {
            for (DeviceInfo d : flat) {
                String name = (d.platformName() + " / " + d.deviceName()).toLowerCase(Locale.ROOT);
                if (d.type().equals(s) || name.contains(s)) {
                    return d;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (int p = 0; p < all.size(); p++) {
            for (int d = 0; d < all.get(p).size(); d++) {
                DeviceInfo info = all.get(p).get(d);
                known.append("\n  ").append(p).append(':').append(d).append(' ').append(info.platformName())
                        .append(" / ").append(info.deviceName()).append(" (").append(info.type()).append(')');
            }
        }
        throw OpenClException.unavailable(OpenClSettings.DEVICE + "=" + selector + " matches no device; devices:"
                + known, null);
    }
}
