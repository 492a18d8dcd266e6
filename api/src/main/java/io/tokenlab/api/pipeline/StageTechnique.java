package io.tokenlab.api.pipeline;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;

/**
 * A technique that is used directly as a pipeline stage, for work that is not one of the five
 * kinds' standard shapes (analysis, format conversion). Plugins of the five kinds do not need it:
 * the runtime adapts their kind interface to ports.
 *
 * <p>Values are the Java types documented on {@link PortType}.
 */
public interface StageTechnique {
    PortType input();

    PortType output();

    Object apply(Object input, Parameters parameters, RunContext context);
}
