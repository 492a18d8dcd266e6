package io.tokenlab.spark;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The calls {@code ./tokenlab run} makes on its runtime (check the file, read the input in the port's
 * format, run, encode the output in the port's format), made on the runtime hosted behind the
 * framework's class loaders. Only JDK types cross: the runtime's own types stay opaque here.
 */
final class RuntimeCalls {
    private final Object runtime;
    private final ClassLoader loader;
    private final BundleContext context;

    RuntimeCalls(Object runtime, BundleContext context) {
        this.runtime = runtime;
        this.loader = runtime.getClass().getClassLoader();
        this.context = context;
    }

    /** A class of the bundle that provides {@code technique} (a seam it exports to runners, such as CountedTraining). */
    Class<?> techniqueClass(String technique, String className) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(tokenlab.technique=" + technique + ")");
        if (refs == null || refs.length == 0) {
            throw new IllegalStateException("no plugin provides " + technique);
        }
        return refs[0].getBundle().loadClass(className);
    }

    /** Calls a public static method of a class found by {@link #techniqueClass}. */
    static Object callStatic(Class<?> type, String method, Class<?>[] types, Object... args) throws Exception {
        return invoke(null, type, method, types, args);
    }

    /** The names of the runtime's data catalog (none without a catalog). */
    @SuppressWarnings("unchecked")
    java.util.Collection<String> catalogNames() throws Exception {
        Object catalog = invoke(runtime, "dataOrNull", new Class<?>[0]);
        return catalog == null ? List.of() : (java.util.Collection<String>) invoke(catalog, "names", new Class<?>[0]);
    }

    /** Fetches a data set into the data directory (a no-op when it is there) and returns where it is. */
    Path fetch(String name) throws Exception {
        Object catalog = invoke(runtime, "dataOrNull", new Class<?>[0]);
        return (Path) invoke(catalog, "fetch", new Class<?>[] {String.class}, name);
    }

    /** The api's Progress.NONE, for calls that report none. */
    Object noProgress() throws Exception {
        return loader.loadClass("io.tokenlab.api.Progress").getField("NONE").get(null);
    }

    /** The api type of a parameter, as the bundle's classes see it. */
    Class<?> apiClass(String name) throws ClassNotFoundException {
        return loader.loadClass(name);
    }

    void awaitBundles() throws Exception {
        invoke(runtime, "awaitBundles", new Class<?>[0]);
    }

    /** A pipeline that passed the runtime's checks, with what the runner needs to know of it. */
    record Checked(Object pipeline, String name, String inputPort, String outputPort, boolean rawBytes,
                   int stages, String firstTechnique, Object firstParameters) {
    }

    /** Thrown with the runtime's own message when a pipeline file does not pass its checks. */
    static final class PipelineRejected extends Exception {
        private static final long serialVersionUID = 1L;

        PipelineRejected(String message) {
            super(message);
        }
    }

    /** Thrown with the runtime's own message (pipeline, stage, technique) when a run fails. */
    static final class RunFailed extends Exception {
        private static final long serialVersionUID = 1L;

        RunFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Checked check(Path file, Map<String, String> overrides) throws PipelineRejected {
        Object p;
        try {
            p = invoke(runtime, "check", new Class<?>[] {Path.class, Map.class}, file, overrides);
        } catch (Exception e) {
            if (e.getClass().getName().equals("io.tokenlab.runtime.pipeline.PipelineException")) {
                throw new PipelineRejected(e.getMessage());
            }
            throw new IllegalStateException("checking " + file + " failed: " + e, e);
        }
        try {
            Object first = invoke(p, "first", new Class<?>[0]);
            Object last = invoke(p, "last", new Class<?>[0]);
            Object registry = invoke(runtime, "registry", new Class<?>[0]);
            Class<?> range = loader.loadClass("org.osgi.framework.VersionRange");
            boolean raw = (Boolean) invoke(registry, "takesRawBytes", new Class<?>[] {String.class, range},
                    invoke(first, "technique", new Class<?>[0]), invoke(first, "range", new Class<?>[0]));
            return new Checked(p, (String) invoke(p, "name", new Class<?>[0]),
                    (String) invoke(first, "inputPort", new Class<?>[0]),
                    (String) invoke(last, "outputPort", new Class<?>[0]), raw,
                    ((List<?>) invoke(p, "stages", new Class<?>[0])).size(),
                    (String) invoke(first, "technique", new Class<?>[0]), invoke(first, "parameters", new Class<?>[0]));
        } catch (Exception e) {
            throw new IllegalStateException("reading the checked pipeline " + file + " failed: " + e, e);
        }
    }

    /** The runtime's reader of {@code --input} files: text is decoded as {@code run} decodes it. */
    Object read(String port, byte[] bytes, String name, boolean rawBytes, Consumer<String> warn) throws Exception {
        Class<?> decodings = loader.loadClass("io.tokenlab.runtime.io.TextDecoding");
        Object decoding = enumConstant(decodings, rawBytes ? "ESCAPE" : "REPLACE");
        Class<?> portFiles = loader.loadClass("io.tokenlab.runtime.io.PortFiles");
        Class<?> portType = loader.loadClass("io.tokenlab.api.pipeline.PortType");
        return invoke(null, portFiles, "read", new Class<?>[] {portType, byte[].class, String.class, decodings,
                Consumer.class}, portType(port), bytes, name, decoding, warn);
    }

    /** The runtime's writer of {@code --output} files for the port. */
    byte[] encode(String port, Object value) throws Exception {
        Class<?> portFiles = loader.loadClass("io.tokenlab.runtime.io.PortFiles");
        Class<?> portType = loader.loadClass("io.tokenlab.api.pipeline.PortType");
        return (byte[]) invoke(null, portFiles, "encode", new Class<?>[] {portType, Object.class},
                portType(port), value);
    }

    /** Runs the pipeline on one input (for a text pipeline: a list of documents) and returns its output. */
    Object run(Checked pipeline, Object input) throws RunFailed {
        try {
            Class<?> progress = loader.loadClass("io.tokenlab.api.Progress");
            Object none = progress.getField("NONE").get(null);
            Object result = invoke(runtime, "run", new Class<?>[] {pipeline.pipeline().getClass(), Object.class,
                    progress}, pipeline.pipeline(), input, none);
            return invoke(result, "output", new Class<?>[0]);
        } catch (Exception e) {
            throw new RunFailed(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private Object portType(String name) throws Exception {
        Class<?> rt = loader.loadClass("io.tokenlab.runtime.TokenlabRuntime");
        return invoke(null, rt, "port", new Class<?>[] {String.class}, name);
    }

    private static Object enumConstant(Class<?> type, String name) {
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException(type.getName() + " has no constant " + name);
    }

    private static Object invoke(Object target, String method, Class<?>[] types, Object... args) throws Exception {
        return invoke(target, target.getClass(), method, types, args);
    }

    /** Calls a public method, and rethrows what the method threw (not the reflection wrapper). */
    private static Object invoke(Object target, Class<?> type, String method, Class<?>[] types, Object... args)
            throws Exception {
        Method m = type.getMethod(method, types);
        m.setAccessible(true); // records' accessors are public but their classes may not be exported
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
