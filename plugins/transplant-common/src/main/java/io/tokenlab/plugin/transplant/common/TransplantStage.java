package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A transplant as a pipeline stage: the input port carries the base table, the parameters name the old
 * and new vocabularies (opened through {@code tokenizer/bpe}) and, for techniques that need an auxiliary
 * space, the corpus on which the new vocabulary's vectors are trained here (PPMI + SVD, cached). Every
 * transplant plugin declares these parameters in its own metatype under the names below.
 */
public final class TransplantStage {
    public static final String SOURCE_VOCABULARY = "source.vocabulary";
    public static final String TARGET_VOCABULARY = "target.vocabulary";
    public static final String DONOR_CORPUS = "donor.corpus";
    public static final String DONOR_MEGABYTES = "donor.megabytes";
    public static final String DONOR_DIMENSION = "donor.dimension";
    public static final String DEFAULT_SOURCE = "gpt2";
    public static final String DEFAULT_TARGET = "cl100k_base";
    public static final String DEFAULT_CORPUS = "linux-doc";
    public static final int DEFAULT_MEGABYTES = 4;
    public static final int DEFAULT_DIMENSION = 300;

    private TransplantStage() {
    }

    public static EmbeddingTable run(TransplantTechnique technique, Object input, Parameters params, RunContext ctx,
                                     boolean needsAuxiliary) {
        if (!(input instanceof EmbeddingTable)) {
            throw new TechniqueException("a transplant stage takes an embedding table (safetensors on --input), got "
                    + (input == null ? "nothing" : input.getClass().getSimpleName()));
        }
        String sourceName = params.string(SOURCE_VOCABULARY, DEFAULT_SOURCE);
        String targetName = params.string(TARGET_VOCABULARY, DEFAULT_TARGET);
        Tokenizer source = open(sourceName, SOURCE_VOCABULARY, ctx);
        Tokenizer target = open(targetName, TARGET_VOCABULARY, ctx);
        List<String> sourceStrings = TokenStrings.vocabulary(source);
        EmbeddingTable base = bindToVocabulary((EmbeddingTable) input, sourceStrings, sourceName);
        List<String> targetStrings = TokenStrings.vocabulary(target);
        EmbeddingTable auxiliary = null;
        if (needsAuxiliary) {
            String corpus = params.string(DONOR_CORPUS, DEFAULT_CORPUS);
            long bytes = params.integer(DONOR_MEGABYTES, DEFAULT_MEGABYTES) << 20;
            int dimension = (int) params.integer(DONOR_DIMENSION, DEFAULT_DIMENSION);
            try {
                Path corpusPath = ctx.data().fetch(corpus);
                ctx.note("training " + targetName + " vectors on " + (bytes >> 20) + " MB of " + corpus
                        + " (cached after the first run)");
                auxiliary = TrainedVectors.forTokenizer(target, targetName, corpusPath, corpus, bytes,
                        PpmiSvdTrainer.Settings.defaults(dimension), TrainedVectors.cacheBeside(corpusPath, corpus),
                        ctx.compute(), ctx.progress());
            } catch (IOException e) {
                throw new TechniqueException("parameter '" + DONOR_CORPUS + "': cannot train donor vectors on '"
                        + corpus + "': " + e.getMessage(), e);
            }
        }
        EmbeddingTable out = technique.transplant(new TransplantRequest(base, targetStrings, source, auxiliary), params, ctx);
        ctx.note(out.tokens().size() + " rows for " + targetName + " from a " + base.tokens().size() + "x"
                + base.dimension() + " " + sourceName + " table");
        return out;
    }

    private static Tokenizer open(String vocabulary, String parameter, RunContext ctx) {
        TokenizerTechnique bpe = ctx.technique(TokenizerTechnique.class, "tokenizer/bpe").orElseThrow(() ->
                new TechniqueException("parameter '" + parameter + "': the tokenizer/bpe plugin is not installed"));
        try {
            return bpe.open(Parameters.of(java.util.Map.of("vocabulary", vocabulary)), ctx);
        } catch (TechniqueException e) {
            throw new InvalidParameterException(parameter, e.getMessage());
        }
    }

    /**
     * The input table named by the source vocabulary. A table whose file carried no vocabulary has rows
     * named "0", "1", ...; it is bound to the source vocabulary when the row counts agree.
     */
    static EmbeddingTable bindToVocabulary(EmbeddingTable table, List<String> sourceStrings, String sourceName) {
        boolean unnamed = !table.tokens().isEmpty() && table.tokens().get(0).equals("0")
                && table.tokens().get(table.tokens().size() - 1).equals(Integer.toString(table.tokens().size() - 1));
        if (!unnamed) {
            return table;
        }
        if (table.tokens().size() != sourceStrings.size()) {
            throw new TechniqueException("the input table has " + table.tokens().size() + " rows and no vocabulary; "
                    + sourceName + " has " + sourceStrings.size() + " tokens, so the rows cannot be bound to it");
        }
        return new EmbeddingTable(sourceStrings, table.vectors());
    }
}
