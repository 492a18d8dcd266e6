package io.tokenlab.runtime.registry;

import java.util.List;

/**
 * What the registry knows of one technique: enough for {@code tokenlab plugins}, for validating
 * pipelines and for error messages.
 *
 * @param technique   {@code <kind>/<name>}
 * @param bundle      symbolic name of the bundle that provides it
 * @param version     the bundle version
 * @param state       active, unresolved, failed or removed
 * @param detail      why it is not active (missing requirement, exception), empty when active
 * @param inputPort   the port type name it consumes
 * @param outputPort  the port type name it produces
 */
public record TechniqueInfo(String technique, String bundle, String version, TechniqueState state, String detail,
                            String description, String inputPort, String outputPort,
                            List<ParameterSpec> parameters) {
}
