package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;

import java.util.Map;
import java.util.Optional;

/** A run context outside the runtime: a compute backend, the data catalog, and named techniques. */
final class HarnessContext implements RunContext {
    private final Compute compute;
    private final DataCatalog data;
    private final Map<String, Object> techniques;

    HarnessContext(Compute compute, DataCatalog data, Map<String, Object> techniques) {
        this.compute = compute;
        this.data = data;
        this.techniques = Map.copyOf(techniques);
    }

    @Override
    public Compute compute() {
        return compute;
    }

    @Override
    public DataCatalog data() {
        return data;
    }

    @Override
    public Progress progress() {
        return Progress.NONE;
    }

    @Override
    public String pipeline() {
        return "transplant-harness";
    }

    @Override
    public String stage() {
        return "evaluate";
    }

    @Override
    public <T> Optional<T> technique(Class<T> type, String technique) {
        Object t = techniques.get(technique);
        return type.isInstance(t) ? Optional.of(type.cast(t)) : Optional.empty();
    }
}
