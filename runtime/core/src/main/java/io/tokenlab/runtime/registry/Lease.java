package io.tokenlab.runtime.registry;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import java.util.concurrent.locks.Lock;

/**
 * A technique held for one run. While a lease is open the service cannot be unregistered under
 * the run: a bundle update waits for open leases to close, so runs finish on the version they
 * started with.
 */
public final class Lease implements AutoCloseable {
    private final BundleContext context;
    private final ServiceReference<Object> reference;
    private final Object service;
    private final Lock readLock;
    private final TechniqueRegistry.Entry entry;
    private boolean closed;

    Lease(BundleContext context, ServiceReference<Object> reference, Object service, Lock readLock,
          TechniqueRegistry.Entry entry) {
        this.context = context;
        this.reference = reference;
        this.service = service;
        this.readLock = readLock;
        this.entry = entry;
    }

    public Object service() {
        return service;
    }

    public String technique() {
        return entry.technique();
    }

    public String version() {
        return entry.version().toString();
    }

    public String bundle() {
        return entry.bundleName();
    }

    public TechniqueRegistry.Entry entry() {
        return entry;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.ungetService(reference);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the framework or the service is already gone; nothing left to release
        } finally {
            readLock.unlock();
        }
    }
}
