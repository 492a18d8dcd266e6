package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.plugin.tokenizer.bytes.ByteTokenizerTechnique;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Real text, real tokenizers and a real Compute backend for the tests; notes go to stdout so a run shows its figures. */
final class RealRuns {
    static final Compute COMPUTE = new VectorCompute(2);

    private RealRuns() {
    }

    static Path dataDirectory() {
        return Path.of(System.getProperty("tokenlab.root", "../.."), "data");
    }

    static RunContext context() {
        KitContext kit = new KitContext(COMPUTE, new FileCatalog(dataDirectory()), Map.of("tokenizer/bpe",
                new BpeTechnique(), "tokenizer/bytes", new ByteTokenizerTechnique()));
        return new RunContext() {
            @Override
            public Compute compute() {
                return kit.compute();
            }

            @Override
            public DataCatalog data() {
                return kit.data();
            }

            @Override
            public Progress progress() {
                return Progress.NONE;
            }

            @Override
            public void note(String message) {
                System.out.println(message);
            }

            @Override
            public String pipeline() {
                return "test";
            }

            @Override
            public String stage() {
                return "test";
            }

            @Override
            public <T> Optional<T> technique(Class<T> type, String technique) {
                return kit.technique(type, technique);
            }
        };
    }
}
