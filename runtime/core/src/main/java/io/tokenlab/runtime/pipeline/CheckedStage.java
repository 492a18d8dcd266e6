package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.Parameters;
import org.osgi.framework.VersionRange;

/**
 * A stage that passed every check: its technique exists in the range, its parameters are typed and
 * complete, and its input port matches what feeds it.
 *
 * @param inputFrom id of the stage whose output feeds this one, or null for the pipeline input
 */
public record CheckedStage(String id, String technique, VersionRange range, Parameters parameters,
                           String inputFrom, String inputPort, String outputPort) {
}
