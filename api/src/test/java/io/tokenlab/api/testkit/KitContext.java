package io.tokenlab.api.testkit;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run context for conformance tests outside the runtime: a real compute backend chosen by the
 * test, data from a directory of already fetched files, and other techniques given by the test.
 */
public final class KitContext implements RunContext {
    private final Compute compute;
    private final DataCatalog data;
    private final Map<String, Object> techniques;

    public KitContext(Compute compute, DataCatalog data, Map<String, Object> techniques) {
        this.compute = compute;
        this.data = data;
        this.techniques = Map.copyOf(techniques);
    }

    public KitContext(Compute compute) {
        this(compute, noData(), Map.of());
    }

    /** A catalog with nothing in it; every fetch fails naming the data set. */
    public static DataCatalog noData() {
        return new DataCatalog() {
            @Override
            public Set<String> names() {
                return Set.of();
            }

            @Override
            public Path fetch(String name) throws IOException {
                throw new IOException("no data set '" + name + "' in the conformance kit's empty catalog");
            }
        };
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
        return "conformance";
    }

    @Override
    public String stage() {
        return "under-test";
    }

    @Override
    public <T> Optional<T> technique(Class<T> type, String technique) {
        Object t = techniques.get(technique);
        return type.isInstance(t) ? Optional.of(type.cast(t)) : Optional.empty();
    }
}
