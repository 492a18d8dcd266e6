package io.tokenlab.jocl;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The packaged bundle in a real Felix: it resolves, and JOCL loads its native library through
 * Bundle-NativeCode (System.loadLibrary answered by the framework), not by extracting a copy to a
 * temporary file, so a plugin swap never loads it twice.
 */
class JoclInFelixIT {
    @Test
    void nativeLibraryLoadsFromBundleNativeCode() throws Exception {
        Path jar = Path.of(System.getProperty("jocl.bundle"));
        Path storage = Files.createTempDirectory("tokenlab-felix");
        Framework framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        List<String> joclLog = new CopyOnWriteArrayList<>();
        Logger libUtils = Logger.getLogger("org.jocl.LibUtils");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                joclLog.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        libUtils.setLevel(Level.ALL);
        libUtils.addHandler(capture);
        try {
            framework.start();
            Bundle bundle = framework.getBundleContext().installBundle(jar.toUri().toString());
            bundle.start();
            assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);

            Class<?> cl = bundle.loadClass("org.jocl.CL");
            cl.getMethod("setExceptionsEnabled", boolean.class).invoke(null, true);
            assertThat(joclLog).contains("Loading library as a file DONE").doesNotContain("Loading library as a resource");
            assertThat(cl.getClassLoader()).isNotSameAs(ClassLoader.getSystemClassLoader());

            Class<?> platformArray = Array.newInstance(bundle.loadClass("org.jocl.cl_platform_id"), 0).getClass();
            int[] platforms = new int[1];
            cl.getMethod("clGetPlatformIDs", int.class, platformArray, int[].class).invoke(null, 0, null, platforms);
            System.out.println("JOCL in Felix: native library from Bundle-NativeCode, " + platforms[0]
                    + " OpenCL platform(s)");
            assertThat(platforms[0]).isGreaterThanOrEqualTo(0);
        } finally {
            libUtils.removeHandler(capture);
            framework.stop();
            framework.waitForStop(10_000);
        }
    }
}
