package io.tokenlab.runtime.compute.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Where the OpenCL C source of each kernel file comes from; tests substitute a broken one. */
@FunctionalInterface
interface KernelSources {
    /** The kernel files, built together into one program per context. */
    List<String> FILES = List.of("gemm.cl", "gemm_cpu.cl", "rows.cl", "distances.cl");

    String source(String file);

    /** The {@code .cl} files shipped next to this class. */
    static KernelSources bundled() {
        return file -> {
            try (InputStream in = KernelSources.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("kernel source " + file + " is missing from the bundle");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kernel source " + file, e);
            }
        };
    }
}
