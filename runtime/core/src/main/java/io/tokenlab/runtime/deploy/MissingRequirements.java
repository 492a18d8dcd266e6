package io.tokenlab.runtime.deploy;

import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a bundle does not resolve, in one line: the requirements that nothing installed can satisfy.
 * The framework's own message repeats the bundle's internal ids and each requirement twice, and for
 * a fragment it says nothing at all.
 */
final class MissingRequirements {
    private MissingRequirements() {
    }

    static String describe(Bundle bundle, FrameworkWiring wiring) {
        return describe(bundle, wiring, "no installed bundle provides what it requires");
    }

    /** @param fallback said when every requirement has a provider (one of them cannot resolve itself) */
    static String describe(Bundle bundle, FrameworkWiring wiring, String fallback) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return fallback;
        }
        List<String> missing = new ArrayList<>();
        for (Requirement r : revision.getRequirements(null)) {
            String resolution = r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            String effective = r.getDirectives().getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE,
                    Namespace.EFFECTIVE_RESOLVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
                    || !Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
                continue; // the resolver does not need these (osgi.service requirements are effective:=active)
            }
            if (wiring.findProviders(r).isEmpty()) {
                missing.add(r.getNamespace() + " " + r.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, ""));
            }
        }
        return missing.isEmpty() ? fallback : "missing requirement " + String.join(", missing requirement ", missing);
    }
}
