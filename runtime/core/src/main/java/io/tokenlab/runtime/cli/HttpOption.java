package io.tokenlab.runtime.cli;

import io.tokenlab.runtime.serve.HttpFrontend;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code tokenlab start --http [HOST:]PORT}: hands the address to the HTTP frontend bundle. The frontend
 * may still be activating when the command runs, hence the short wait for its service.
 */
final class HttpOption {
    private static final long WAIT_MILLIS = 10_000;
    private static final String FRONTEND_BUNDLE = "io.tokenlab.runtime.http";

    private HttpOption() {
    }

    /**
     * @param address the option's value ("" for the default address) or null when the option was not given
     * @return the base URL served, or null when nothing is served
     */
    static String serve(String address) throws InterruptedException {
        Bundle bundle = FrameworkUtil.getBundle(HttpOption.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            if (address != null) {
                throw new IllegalStateException("--http needs the OSGi framework; run the exported launcher");
            }
            return null;
        }
        if (address == null && java.util.Arrays.stream(context.getBundles())
                .noneMatch(b -> FRONTEND_BUNDLE.equals(b.getSymbolicName()))) {
            return null;
        }
        ServiceTracker<HttpFrontend, HttpFrontend> tracker = new ServiceTracker<>(context, HttpFrontend.class, null);
        tracker.open();
        try {
            HttpFrontend frontend = tracker.waitForService(WAIT_MILLIS);
            if (frontend == null) {
                if (address != null) {
                    throw new IllegalArgumentException("--http: the HTTP frontend (bundle " + FRONTEND_BUNDLE
                            + ") is not running in this runtime");
                }
                return null;
            }
            return frontend.serve(address);
        } finally {
            tracker.close();
        }
    }
}
