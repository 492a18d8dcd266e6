package io.tokenlab.runtime.pipeline;

import java.util.Map;

/**
 * A stage as written in a pipeline file, before it is checked against the registry.
 *
 * @param input null when the stage reads the previous stage's output (or the pipeline input)
 */
public record StageDefinition(Located<String> id, Located<String> technique, Located<String> version,
                              Map<String, Located<Object>> params, Located<String> input) {
}
