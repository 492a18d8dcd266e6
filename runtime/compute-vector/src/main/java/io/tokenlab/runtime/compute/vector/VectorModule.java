package io.tokenlab.runtime.compute.vector;

import java.util.Optional;

/**
 * Whether jdk.incubator.vector is in the boot layer. A jar manifest cannot add a module, so a JVM
 * started without {@code --add-modules jdk.incubator.vector} resolves this bundle and then fails at the
 * first vector call; this check runs first and names the fix. It touches no incubator class itself.
 */
final class VectorModule {
    static final String NAME = "jdk.incubator.vector";

    private VectorModule() {
    }

    static void require() {
        Optional<Module> module = ModuleLayer.boot().findModule(NAME);
        if (module.isEmpty()) {
            throw new IllegalStateException("The Vector API backend needs the JVM option --add-modules " + NAME
                    + " (the tokenlab launcher script adds it; with plain java -jar add it yourself or set"
                    + " JDK_JAVA_OPTIONS). Without it tokenlab computes with the other backends.");
        }
        try {
            Class.forName(NAME + ".FloatVector", true, VectorModule.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Module " + NAME + " is in the JVM but its package is not visible to"
                    + " this bundle: the framework must export it (org.osgi.framework.system.packages.extra="
                    + NAME + ")", e);
        }
    }
}
