package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Kind;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;

import java.util.List;

/**
 * Turns a technique of one of the five kinds into a pipeline stage: from the value on its input
 * port to the value on its output port. A technique that implements {@link StageTechnique} is used
 * as it is.
 */
final class StageAdapters {
    private StageAdapters() {
    }

    /**
     * round(N x keep.ratio), as the pruning papers count; a ratio that keeps nothing of a non-empty set is
     * refused, since an empty selection would pass for a result (keep: 0 asks for one explicitly).
     */
    static int keepFromRatio(int n, double ratio) {
        int keep = (int) Math.round(n * ratio);
        if (keep == 0 && n > 0 && ratio > 0) {
            double least = 0.5 / n;
            while (Math.round(n * least) < 1) {
                least = Math.nextUp(least);
            }
            throw new InvalidParameterException("keep.ratio", ratio + " of " + n + (n == 1 ? " token" : " tokens")
                    + " keeps round(" + n + " x " + ratio + ") = 0 tokens; accepted: keep.ratio of at least " + least
                    + " for " + n + (n == 1 ? " token" : " tokens") + ", or keep: 1.." + n);
        }
        return keep;
    }

    @SuppressWarnings("unchecked")
    static Object apply(String technique, Object service, Object input, Parameters params, RunContext ctx) {
        if (service instanceof StageTechnique) {
            return ((StageTechnique) service).apply(input, params, ctx);
        }
        Kind kind = Techniques.kindOf(technique);
        switch (kind) {
            case TOKENIZER: {
                Tokenizer tokenizer = ((TokenizerTechnique) service).open(params, ctx);
                List<String> lines = (List<String>) input;
                int threads = Math.max(1, (int) params.integer("threads", Runtime.getRuntime().availableProcessors()));
                ctx.progress().begin("encoding " + lines.size() + " lines", lines.size());
                try {
                    return tokenizer.encodeBatch(lines, threads);
                } finally {
                    ctx.progress().end();
                }
            }
            case PRUNE: {
                TokenSet set = (TokenSet) input;
                int keep;
                if (params.has("keep") && params.integer("keep", -1) >= 0) {
                    keep = (int) params.integer("keep", 0);
                } else {
                    keep = keepFromRatio(set.size(), params.real("keep.ratio", 1.0));
                }
                return ((PruneTechnique) service).select(set, keep, params, ctx);
            }
            case IMAGE: {
                ImageCodec codec = ((ImageTechnique) service).open(params, ctx);
                return codec.decode(codec.encode((FloatImage) input));
            }
            default:
                throw new IllegalStateException("technique " + technique + " is a " + kind.kindName()
                        + " technique without a pipeline stage of its own; " + kind.kindName()
                        + " plugins used in pipelines implement io.tokenlab.api.pipeline.StageTechnique too");
        }
    }
}
