package io.tokenlab.runtime;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest-ranked service of a type, obtained only when first asked for. A plain ServiceTracker
 * gets every service as it appears, which activates delayed components (OpenCL platform set-up,
 * compute calibration) in runs that never use them.
 */
final class LazyService<T> implements AutoCloseable {
    private final BundleContext context;
    private final ServiceTracker<T, ServiceReference<T>> tracker;
    private final Map<ServiceReference<T>, T> obtained = new ConcurrentHashMap<>();

    LazyService(BundleContext context, Class<T> type) {
        this.context = context;
        this.tracker = new ServiceTracker<>(context, type, new ServiceTrackerCustomizer<T, ServiceReference<T>>() {
            @Override
            public ServiceReference<T> addingService(ServiceReference<T> reference) {
                return reference;
            }

            @Override
            public void modifiedService(ServiceReference<T> reference, ServiceReference<T> service) {
            }

            @Override
            public void removedService(ServiceReference<T> reference, ServiceReference<T> service) {
                if (obtained.remove(reference) != null) {
                    context.ungetService(reference);
                }
            }
        });
        this.tracker.open();
    }

    /** The best-ranked service, activating it if needed; null if there is none. */
    T get() {
        ServiceReference<T> best = tracker.getServiceReference(); // highest ranking, then lowest id
        if (best == null) {
            return null;
        }
        return obtained.computeIfAbsent(best, ref -> context.getService(ref));
    }

    @Override
    public void close() {
        tracker.close();
    }
}
