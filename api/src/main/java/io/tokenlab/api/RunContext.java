package io.tokenlab.api;

import io.tokenlab.api.compute.Compute;

import java.util.Optional;

/**
 * What the runtime gives a technique for one run: math, data, progress, and other techniques by
 * name. Techniques never reach the runtime's classes; everything goes through this interface.
 */
public interface RunContext {
    /** The compute service the runtime chose (it dispatches per call to the best backend). */
    Compute compute();

    /** Named data sets from the registries, fetched on demand. */
    DataCatalog data();

    /** Progress reporting for this run. */
    Progress progress();

    /**
     * A line for the user about this run (e.g. "tokens 128, bytes 164, PSNR 31.2 dB"). The runtime
     * prints it on stderr, prefixed with the stage; it never goes into the output file.
     */
    default void note(String message) {
    }

    /** Name of the pipeline being run, for messages. */
    String pipeline();

    /** Id of the stage being run, for messages. */
    String stage();

    /**
     * Another technique by its {@code <kind>/<name>}, e.g. a decoder asking for {@code tokenizer/bpe}.
     * The runtime holds it for the duration of this run, as it holds the stage's own technique.
     */
    <T> Optional<T> technique(Class<T> type, String technique);
}
