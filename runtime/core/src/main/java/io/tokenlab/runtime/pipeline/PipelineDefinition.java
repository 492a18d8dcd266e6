package io.tokenlab.runtime.pipeline;

import java.util.List;

/** A parsed pipeline file. */
public record PipelineDefinition(String name, String description, String file, List<StageDefinition> stages) {
    public StageDefinition stage(String id) {
        for (StageDefinition s : stages) {
            if (s.id().value().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
