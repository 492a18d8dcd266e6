package io.tokenlab.runtime.registry;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Why a component failed to activate, from Service Component Runtime's records, when SCR is there.
 */
final class ComponentFailures {
    private ComponentFailures() {
    }

    static String describe(BundleContext context, ServiceReference<?> ref) {
        try {
            ServiceReference<ServiceComponentRuntime> scrRef = context.getServiceReference(ServiceComponentRuntime.class);
            if (scrRef == null || ref.getBundle() == null) {
                return "";
            }
            ServiceComponentRuntime scr = context.getService(scrRef);
            try {
                Object name = ref.getProperty("component.name");
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(ref.getBundle())) {
                    if (!d.name.equals(name)) {
                        continue;
                    }
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                            String first = c.failure.lines().findFirst().orElse(c.failure);
                            return ": " + first;
                        }
                    }
                }
            } finally {
                context.ungetService(scrRef);
            }
        } catch (RuntimeException | NoClassDefFoundError e) {
            // without SCR's records the plain message above is all we can say
        }
        return "";
    }
}
