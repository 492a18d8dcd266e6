package io.tokenlab.runtime.deploy;


import org.osgi.framework.BundleException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * Says why a jar could not be installed in words a plugin author can act on. Felix's own messages
 * ("Could not create bundle object.", "Unable to cache bundle") name neither the file's problem nor
 * what a bundle needs, so the jar is looked at directly first.
 */
final class JarDiagnosis {
    private JarDiagnosis() {
    }

    /** Why the jar cannot be a plugin bundle at all, or null when it looks like one. */
    static String problem(byte[] jar) {
        String why = explain(jar, null);
        return why.startsWith("bundle:") ? null : why;
    }

    static String explain(byte[] jar, Exception installFailure) {
        if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K') {
            return "not a jar (zip) file; a plugin is a jar built with bnd (see examples/third-party-plugin)";
        }
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        } catch (IOException | RuntimeException e) {
            return "the jar cannot be read (" + e.getMessage() + ")";
        }
        if (manifest == null) {
            return "the jar has no META-INF/MANIFEST.MF (it must be the first entries, as jar and bnd write them); "
                    + "a plugin needs an OSGi manifest with Bundle-SymbolicName";
        }
        Attributes main = manifest.getMainAttributes();
        if (main.getValue("Bundle-SymbolicName") == null) {
            return "not an OSGi bundle: its manifest has no Bundle-SymbolicName (build it with bnd-maven-plugin)";
        }
        if (installFailure == null) {
            return "bundle:";
        }
        if (installFailure instanceof BundleException
                && ((BundleException) installFailure).getType() == BundleException.DUPLICATE_BUNDLE_ERROR) {
            return "bundle " + main.getValue("Bundle-SymbolicName") + " " + main.getValue("Bundle-Version")
                    + " is already installed from another jar; give this one another version";
        }
        boolean manifestError = installFailure instanceof BundleException
                && ((BundleException) installFailure).getType() == BundleException.MANIFEST_ERROR;
        return (manifestError ? "invalid bundle manifest: " : "cannot install: ") + rootMessage(installFailure);
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
            t = c;
        }
        return sb.toString();
    }

}
