package io.tokenlab.runtime.registry;

import io.tokenlab.api.Techniques;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A real Felix framework with no bundles but the ones a test installs: technique services are
 * registered from those bundles as a plugin's component would register them, so the registry sees
 * real service references, bundle versions and unregistrations. Starts in well under a second.
 */
public final class EmptyFramework implements AutoCloseable {
    private final Felix felix;

    public EmptyFramework(Path storage) throws BundleException {
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        felix.start();
    }

    public BundleContext context() {
        return felix.getBundleContext();
    }

    /** Installs and starts an empty bundle with this name and version. */
    public Bundle bundle(String symbolicName, String version) throws BundleException, IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        a.putValue(Constants.BUNDLE_VERSION, version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, m)) {
            jar.flush();
        }
        Bundle b = context().installBundle("memory:" + symbolicName + "-" + version + ".jar",
                new ByteArrayInputStream(bytes.toByteArray()));
        b.start();
        return b;
    }

    /** Registers {@code service} from {@code bundle} as technique {@code technique}, with extra properties. */
    public static ServiceRegistration<?> offer(Bundle bundle, String technique, Object service, Map<String, Object> extra) {
        Hashtable<String, Object> props = new Hashtable<>(extra);
        props.put(Techniques.TECHNIQUE, technique);
        return bundle.getBundleContext().registerService(Object.class.getName(), service, props);
    }

    @Override
    public void close() throws Exception {
        felix.stop();
        felix.waitForStop(10_000);
    }
}
