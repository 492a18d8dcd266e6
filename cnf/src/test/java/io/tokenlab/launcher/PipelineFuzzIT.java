package io.tokenlab.launcher;

import io.tokenlab.api.testkit.Fuzz;
import io.tokenlab.api.testkit.Mutations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of every shipped pipeline file, checked by the running runtime against the real plugins'
 * metatypes ({@code tokenlab:check}, the parser and the validator together): each is "ok" or a list
 * of problems that start with the file's name, in bounded time; nothing is written next to it; no
 * other exception escapes; and the runtime keeps serving. Fixed seeds.
 */
class PipelineFuzzIT {
    private static final int BYTE_MUTANTS_PER_FILE = 100;
    private static final int VALUE_MUTANTS_PER_FILE = 150;
    /** Values that are wrong for some parameter in each of the ways the validator must name. */
    private static final String[] HOSTILE = {"-1", "0", "1e400", "99999999999999999999", "NaN", "-0.0", "2147483648",
        "\"\"", "~", "[]", "[a, b]", "{x: 1}", "tokenizer/bpe", "prune/divprune", "/nonexistent/x.json",
        "../../../x.tiktoken", "\"[1.0,2.0)\"", "\"(2,1]\"", "\"[x\"", "true", "!!binary AAAA", "&a [*a, *a]", "*undefined",
        "'multi\nline'", "\"\\u0000\"", "tokenizer/bytes", "a".repeat(500)};

    private static EmbeddedRuntime rt;
    private static Path home;

    @BeforeAll
    static void boot() throws Exception {
        home = Files.createTempDirectory("tokenlab-fuzz");
        rt = EmbeddedRuntime.boot(home);
        rt.deploy(TestBundles.BYTES_PLUGIN, "tokenizer-bytes.jar");
        rt.deploy(TestBundles.BPE_PLUGIN, "tokenizer-bpe.jar");
        // every plugin a shipped pipeline names, so that its parameters are checked against a real metatype
        for (String plugin : new String[] {"math-common", "prune-common", "prune-divprune", "image-common",
            "image-prefix", "tokenizer-analysis", "trainer-bpe", "transplant-common", "transplant-omp",
            "decoder-common", "decoder-awrs", "decoder-goose"}) {
            rt.deploy(EmbeddedRuntime.ROOT.resolve("plugins/" + plugin + "/target/" + plugin + "-1.0.0.jar"),
                    plugin + ".jar");
        }
        PluginStatesIT.awaitPlugins(rt, "tokenizer/bytes", "active");
        PluginStatesIT.awaitPlugins(rt, "tokenizer/bpe", "active");
        PluginStatesIT.awaitPlugins(rt, "prune/divprune", "active");
        PluginStatesIT.awaitPlugins(rt, "image/prefix", "active");
        PluginStatesIT.awaitPlugins(rt, "transplant/omp", "active");
        rt.awaitIdle();
        rt.writePipeline("good.yaml", "name: good\nstages:\n  - id: tokenize\n    technique: tokenizer/bytes\n");
    }

    @AfterAll
    static void stop() throws Exception {
        rt.close();
    }

    /** Replaces the value of one "key: value" line (or a list item) with a hostile one, keeping the YAML shape. */
    static Mutations.Mutant hostileValue(byte[] valid, SplittableRandom rnd) {
        String[] lines = new String(valid, StandardCharsets.UTF_8).split("\n", -1);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].trim().startsWith("#") && (lines[i].contains(": ") || lines[i].trim().startsWith("- "))) {
                candidates.add(i);
            }
        }
        List<String> steps = new ArrayList<>();
        int n = 1 + rnd.nextInt(2);
        for (int k = 0; k < n && !candidates.isEmpty(); k++) {
            int i = candidates.get(rnd.nextInt(candidates.size()));
            String line = lines[i];
            int cut = line.contains(": ") ? line.indexOf(": ") + 2 : line.indexOf("- ") + 2;
            String value = HOSTILE[rnd.nextInt(HOSTILE.length)];
            lines[i] = line.substring(0, cut) + value;
            steps.add("line " + (i + 1) + " value -> " + (value.length() > 30 ? value.substring(0, 30) + "..." : value));
        }
        return new Mutations.Mutant(String.join("\n", lines).getBytes(StandardCharsets.UTF_8), List.copyOf(steps));
    }

    @Test
    void mutatedPipelinesAreCheckedWithoutAnythingElseEscaping() throws Exception {
        Path dir = Files.createDirectories(home.resolve("fuzz"));
        Path file = dir.resolve("fuzzed.yaml");
        List<Path> shipped;
        try (Stream<Path> s = Files.list(EmbeddedRuntime.ROOT.resolve("pipelines"))) {
            shipped = s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        Fuzz.Reader check = bytes -> {
            Files.write(file, bytes);
            String out;
            try {
                out = rt.shell("check", file.toString());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).as("files after the check").containsExactly(file);
            }
            if (!out.equals("ok\n")) {
                throw new CheckFailed(out);
            }
        };
        java.util.function.Predicate<Throwable> documented = e -> e instanceof CheckFailed
                && e.getMessage().startsWith(file + ":");
        long seed = 90_000;
        int ok = 0;
        int refused = 0;
        for (Path p : shipped) {
            byte[] valid = Files.readAllBytes(p);
            for (Fuzz.Report r : List.of(
                    Fuzz.run("check " + p.getFileName() + " (bytes)", valid, seed++, BYTE_MUTANTS_PER_FILE,
                            Duration.ofSeconds(20), Mutations::mutate, check, documented),
                    Fuzz.run("check " + p.getFileName() + " (values)", valid, seed++, VALUE_MUTANTS_PER_FILE,
                            Duration.ofSeconds(20), PipelineFuzzIT::hostileValue, check, documented))) {
                ok += r.read();
                refused += r.refused();
            }
        }
        System.out.println("pipeline check fuzz: " + shipped.size() + " files, " + (ok + refused) + " mutants, " + ok
                + " ok, " + refused + " refused");
        assertThat(refused).isGreaterThan((ok + refused) / 2);
        assertThat(rt.shell("run", "good", "ok")).as("still serving").isEqualTo("114 110\n");
    }

    /** A check that answered with problems: the documented outcome for a bad file. */
    private static final class CheckFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CheckFailed(String problems) {
            super(problems);
        }
    }
}
