package io.tokenlab.runtime.pipeline;

import java.util.List;

/** A pipeline file that passed every check and can run. */
public record CheckedPipeline(PipelineDefinition definition, List<CheckedStage> stages) {
    public String name() {
        return definition.name();
    }

    public CheckedStage first() {
        return stages.get(0);
    }

    public CheckedStage last() {
        return stages.get(stages.size() - 1);
    }
}
