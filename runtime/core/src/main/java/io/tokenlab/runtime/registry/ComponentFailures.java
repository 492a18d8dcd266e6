package io.tokenlab.runtime.registry;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Why a component failed to activate, from Service Component Runtime's records, when SCR is there:
 * the exception its constructor or activate method threw, not SCR's wrapper around it.
 */
final class ComponentFailures {
    private ComponentFailures() {
    }

    /**
     * The innermost exception of a printed stack trace, as "class: message": SCR wraps what a
     * constructor or activate method threw in InvocationTargetException and ComponentException.
     */
    static String rootCause(String trace) {
        String cause = trace.lines().findFirst().orElse(trace).strip();
        StringBuilder current = null;
        for (String line : trace.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("Caused by: ")) {
                current = new StringBuilder(t.substring("Caused by: ".length()));
                cause = current.toString();
            } else if (current != null && !t.startsWith("at ") && !t.startsWith("... ") && !t.isEmpty()
                    && !t.startsWith("Suppressed: ")) {
                current.append(' ').append(t); // a message that spans lines
                cause = current.toString();
            } else {
                current = null;
            }
        }
        return cause;
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
                            return ": " + rootCause(c.failure);
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
