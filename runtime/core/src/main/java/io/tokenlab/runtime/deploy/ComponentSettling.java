package io.tokenlab.runtime.deploy;

import io.tokenlab.runtime.registry.ComponentDescriptors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Waits until Service Component Runtime has taken up the components of bundles just started: a
 * bundle is ACTIVE a moment before SCR has read its descriptors and registered its services, and a
 * deploy that reported itself done in that moment let a request see a technique missing mid-swap.
 * A component has settled when SCR knows it and has a configuration for it in any state (registered,
 * active, waiting for a reference or a configuration, failed), or needs none to exist yet.
 */
final class ComponentSettling {
    private static final long POLL_MILLIS = 5;

    private ComponentSettling() {
    }

    /**
     * Waits, at most {@code timeoutMillis}, until every component the active bundles among
     * {@code bundles} declare has settled. Returns the components still unsettled (empty when all
     * did, or when SCR is not running: then nothing will register them anyway).
     */
    static List<String> await(BundleContext context, Collection<Bundle> bundles, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<Bundle> pending = new ArrayList<>(bundles);
        while (true) {
            ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
            if (ref == null) {
                return List.of();
            }
            ServiceComponentRuntime scr = context.getService(ref);
            List<String> unsettled = new ArrayList<>();
            try {
                if (scr == null) {
                    return List.of();
                }
                pending.removeIf(b -> unsettled(scr, b).isEmpty());
                for (Bundle b : pending) {
                    for (String name : unsettled(scr, b)) {
                        unsettled.add(BundleFolder.jarOf(b) + ": " + name);
                    }
                }
            } finally {
                context.ungetService(ref);
            }
            if (unsettled.isEmpty() || System.nanoTime() > deadline) {
                return unsettled;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The bundles among {@code bundles} with components SCR has not settled (now, without waiting). */
    static List<Bundle> unsettledBundles(BundleContext context, Collection<Bundle> bundles) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = ref == null ? null : context.getService(ref);
        if (scr == null) {
            return List.of();
        }
        try {
            List<Bundle> out = new ArrayList<>();
            for (Bundle b : bundles) {
                if (!unsettled(scr, b).isEmpty()) {
                    out.add(b);
                }
            }
            return out;
        } finally {
            context.ungetService(ref);
        }
    }

    /** The declared components of one bundle that SCR has not settled; none for a bundle not active. */
    private static List<String> unsettled(ServiceComponentRuntime scr, Bundle b) {
        if (b.getState() != Bundle.ACTIVE || b.getHeaders().get("Service-Component") == null) {
            return List.of();
        }
        List<String> declared;
        Collection<ComponentDescriptionDTO> known;
        try {
            declared = ComponentDescriptors.componentNames(b);
            known = scr.getComponentDescriptionDTOs(b);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return List.of(); // uninstalled or refreshed meanwhile: a later scan sees its new revision
        }
        Set<String> waiting = new HashSet<>(declared);
        for (ComponentDescriptionDTO d : known) {
            if (settled(scr, d)) {
                waiting.remove(d.name);
            }
        }
        List<String> out = new ArrayList<>(waiting);
        out.sort(null);
        return out;
    }

    private static boolean settled(ServiceComponentRuntime scr, ComponentDescriptionDTO d) {
        if (!scr.isComponentEnabled(d) || d.factory != null || "require".equals(d.configurationPolicy)) {
            // disabled, a factory (instances only on request) or waiting for its configuration: nothing to register now
            return true;
        }
        Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(d);
        return !configurations.isEmpty();
    }
}
