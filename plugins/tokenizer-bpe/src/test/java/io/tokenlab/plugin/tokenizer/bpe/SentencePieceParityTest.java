package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.testkit.References;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * SentencePiece .model files read directly give the ids of {@code spm_encode --output_format=id}
 * and the text of {@code spm_decode}: models trained here with {@code spm_train} on the Linux
 * documentation (unigram and bpe, two vocabulary sizes, nmt_nfkc and identity rules, byte fallback
 * and user-defined symbols), checked on held-out Python documentation and the UDHR in every language.
 */
class SentencePieceParityTest {
    @TempDir
    static Path work;
    private static Path corpus;
    private static Path heldOut;
    private static List<String> heldOutLines;

    static void requireSentencePiece() {
        for (String program : List.of("spm_train", "spm_encode", "spm_decode")) {
            References.requireProgram(program, "sentencepiece");
        }
    }

    @BeforeAll
    static void corpora() throws IOException {
        requireSentencePiece();
        corpus = trainingCorpus(work);
        List<String> lines = new ArrayList<>();
        for (String line : TestData.pythonDocLines(300_000)) {
            lines.add(line);
        }
        for (String udhr : TestData.udhr()) {
            String[] l = udhr.split("\n");
            lines.addAll(Arrays.asList(l).subList(0, Math.min(4, l.length)));
        }
        lines.addAll(HuggingFaceReference.adversarial());
        // spm_encode reads lines: no line breaks inside, and no carriage returns it would keep
        heldOutLines = new ArrayList<>();
        for (String line : lines) {
            boolean loneSurrogate = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    loneSurrogate = true;
                }
            }
            if (!loneSurrogate && line.indexOf('\r') < 0 && line.indexOf('\n') < 0) {
                heldOutLines.add(line);
            }
        }
        heldOut = Files.write(work.resolve("heldout.txt"), heldOutLines, StandardCharsets.UTF_8);
    }

    /** The first 1.5 MB of the Linux documentation, blank lines left out: the text models are trained on. */
    static Path trainingCorpus(Path dir) throws IOException {
        List<String> train = new ArrayList<>();
        for (String line : TestData.linuxDocLines(1_500_000)) {
            if (!line.isBlank()) {
                train.add(line);
            }
        }
        return Files.write(dir.resolve("train.txt"), train, StandardCharsets.UTF_8);
    }

    /**
     * Trains a model with spm_train: "TYPE VOCAB RULES [byte_fallback] [user_defined]", e.g.
     * "unigram 1000 nmt_nfkc"; returns the .model file.
     */
    static Path train(Path dir, Path corpus, String spec) throws Exception {
        requireSentencePiece();
        String[] s = spec.split(" ");
        String name = spec.replace(' ', '-');
        Path prefix = dir.resolve(name);
        List<String> train = new ArrayList<>(List.of("spm_train", "--input=" + corpus, "--model_prefix=" + prefix,
                "--model_type=" + s[0], "--vocab_size=" + s[1], "--normalization_rule_name=" + s[2],
                "--num_threads=2", "--minloglevel=2"));
        if (spec.contains("byte_fallback")) {
            train.add("--byte_fallback=true");
        }
        if (spec.contains("user_defined")) {
            train.add("--user_defined_symbols=<tag>,Python,::");
        }
        run(dir.resolve(name + ".train.log"), train.toArray(new String[0]));
        return Path.of(prefix + ".model");
    }

    static List<String> run(Path out, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "unigram 1000 nmt_nfkc", "unigram 4000 nmt_nfkc", "bpe 1000 nmt_nfkc", "bpe 4000 nmt_nfkc",
            "unigram 2000 identity", "unigram 2000 nmt_nfkc byte_fallback user_defined",
            "bpe 2000 nmt_nfkc byte_fallback user_defined"})
    void sameIdsAsSpmEncode(String spec) throws Exception {
        String name = spec.replace(' ', '-');
        Path model = train(work, corpus, spec);
        List<String> expected = run(work.resolve(name + ".ids"), "spm_encode", "--model=" + model,
                "--output_format=id", "--input=" + heldOut);
        List<String> decodedExpected = run(work.resolve(name + ".decoded"), "spm_decode", "--model=" + model,
                "--input_format=id", "--input=" + work.resolve(name + ".ids"));
        assertThat(expected).hasSameSizeAs(heldOutLines);
        Tokenizer ours = BpeTechnique.openFile(model.toString(), model, Set.of());
        long tokens = 0;
        for (int i = 0; i < heldOutLines.size(); i++) {
            String line = heldOutLines.get(i);
            int[] want = expected.get(i).isBlank() ? new int[0]
                    : Arrays.stream(expected.get(i).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            int[] got = ours.encode(line);
            TiktokenParityTest.assertSame(name + " line " + (i + 1), line, want, got);
            String decoded = ours.decode(got);
            assertThat(decoded).as("%s line %d decoded", name, i + 1).isEqualTo(decodedExpected.get(i));
            tokens += got.length;
        }
        assertThat(heldOutLines.size()).isGreaterThan(5_000);
        System.out.printf("%s: %d held-out lines, %d tokens identical to spm_encode%n", name, heldOutLines.size(), tokens);
    }
}
