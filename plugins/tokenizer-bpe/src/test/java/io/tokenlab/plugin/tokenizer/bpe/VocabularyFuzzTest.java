package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.testkit.Fuzz;
import io.tokenlab.api.testkit.Mutations;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of real vocabulary files (r50k_base.tiktoken from jtokkit, Llama 2's tokenizer.json from
 * npm): each loads, and then encodes and decodes a sample, or is refused with a TechniqueException
 * that names the file, in bounded time; nothing is written next to it. The readers are called
 * directly, so that the shared cache of loaded vocabularies neither hides a mutant nor fills up.
 * Fixed seeds; the counts keep this class under half a minute.
 */
class VocabularyFuzzTest {
    private static final String SAMPLE = "Hello world, it's 2025!\n\tÉmigré naïve 日本語 🙂 x=\"y\"  ";
    private static final Duration PER_CASE = Duration.ofSeconds(20);

    private static Fuzz.Report fuzz(String what, Path valid, Path dir, long seed, int cases, Fuzz.Mutator mutator,
                                    Function<Path, ? extends LoadedVocabulary> load) throws Exception {
        Path file = dir.resolve(valid.getFileName());
        Fuzz.Report r = Fuzz.run(what, Files.readAllBytes(valid), seed, cases, PER_CASE, mutator, bytes -> {
            Files.write(file, bytes);
            try {
                Tokenizer t = load.apply(file).open(Set.of(), false);
                t.decode(t.encode(SAMPLE));
            } finally {
                try (Stream<Path> left = Files.list(dir)) {
                    assertThat(left).as("files next to the vocabulary").containsExactly(file);
                }
            }
        }, Fuzz.refusal(TechniqueException.class, file.toString()));
        assertThat(r.refused()).as("mutants refused").isGreaterThan(cases / 10);
        return r;
    }

    @Test
    void tiktokenFiles(@TempDir Path dir) throws Exception {
        fuzz("r50k_base.tiktoken", TestData.fetch("r50k_base"), dir, 31_000, 150, Mutations::mutate,
                f -> TiktokenFile.load(f, TiktokenEncoding.byName("r50k_base")));
    }

    @Test
    void tokenizerJsonFilesDamagedAsBytes(@TempDir Path dir) throws Exception {
        fuzz("llama2 tokenizer.json (bytes)", TestData.fetch("llama2"), dir, 32_000, 20, Mutations::mutate,
                TokenizerJsonFile::load);
    }

    @Test
    void tokenizerJsonFilesWithHostileValues(@TempDir Path dir) throws Exception {
        Path valid = TestData.fetch("llama2");
        JsonMutations json = new JsonMutations(Files.readAllBytes(valid));
        fuzz("llama2 tokenizer.json (values)", valid, dir, 33_000, 40, json::mutate, TokenizerJsonFile::load);
    }
}
