package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.runtime.data.DataSetEntry;
import io.tokenlab.runtime.data.FileCatalog;
import io.tokenlab.runtime.data.MavenSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken vocabulary files and data fail with an error naming the file and the problem. */
class BadVocabularyTest {
    private static io.tokenlab.api.tokenizer.Tokenizer openPath(Path p) {
        return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", p.toString())), TestData.CONTEXT);
    }

    @Test
    void truncatedTiktokenFile(@TempDir Path tmp) throws IOException {
        List<String> lines = Files.readAllLines(TestData.fetch("cl100k_base"));
        Path file = Files.write(tmp.resolve("cl100k_base.tiktoken"), lines.subList(0, 50_000));
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("50000 ranks").hasMessageContaining("truncated");
    }

    @Test
    void corruptTiktokenLine(@TempDir Path tmp) throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(TestData.fetch("r50k_base")));
        lines.set(99, "@@not-base64@@ 99");
        Path file = Files.write(tmp.resolve("r50k_base.tiktoken"), lines);
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file + ":100").hasMessageContaining("corrupt");
    }

    @Test
    void tiktokenFileOfUnknownEncoding(@TempDir Path tmp) throws IOException {
        Path file = Files.copy(TestData.fetch("r50k_base"), tmp.resolve("mystery.tiktoken"));
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file.toString()).hasMessageContaining("cl100k_base.tiktoken");
    }

    @Test
    void truncatedTokenizerJson(@TempDir Path tmp) throws IOException {
        byte[] full = Files.readAllBytes(TestData.fetch("llama2"));
        Path file = Files.write(tmp.resolve("tokenizer.json"), java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file.toString()).hasMessageContaining("truncated or corrupt");
    }

    @Test
    void unsupportedModelType(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("chars.json"), "{\"version\":\"1.0\",\"normalizer\":null,"
                + "\"model\":{\"type\":\"CharLevel\",\"vocab\":{\"a\":0}}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("model.type: 'CharLevel' is not supported").hasMessageContaining("WordPiece, Unigram");
    }

    @Test
    void unsupportedPartNamesItsJsonPathAndValue(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},"
                + "{\"type\":\"FixedLength\",\"length\":5}]},\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"a\":0,\"[UNK]\":1},"
                + "\"unk_token\":\"[UNK]\"}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> openPath(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("pre_tokenizer.pretokenizers[1].type = FixedLength is not supported");
    }

    @Test
    void gpt2FilesThatDoNotBelongTogether(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("gpt2"));
        Files.copy(TestData.fetch("gpt2").resolve("encoder.json"), dir.resolve("encoder.json"));
        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\nq z\n");
        assertThatThrownBy(() -> openPath(dir)).hasMessageContaining("vocab.bpe:2").hasMessageContaining("q z");
    }

    @Test
    void wrongRecordedHashIsAnErrorNamingExpectedAndActual(@TempDir Path tmp) {
        String wrong = "ab".repeat(32);
        FileCatalog catalog = new FileCatalog(tmp, List.of(new DataSetEntry("cl100k_base",
                new MavenSource("com.knuddels:jtokkit:1.1.0"), "com/knuddels/jtokkit/cl100k_base.tiktoken", 1, wrong)));
        KitContext context = new KitContext(null, catalog, Map.of());
        assertThatThrownBy(() -> new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "cl100k_base")), context))
                .hasMessageContaining("cl100k_base.tiktoken").hasMessageContaining(wrong)
                .hasMessageContaining("223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7");
    }

    @Test
    void unknownAllowedSpecialToken() {
        assertThatThrownBy(() -> new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "cl100k_base",
                "allowed.special", "<|nope|>")), TestData.CONTEXT)).hasMessageContaining("<|nope|>");
        var t = new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "cl100k_base", "allowed.special", "all")), TestData.CONTEXT);
        org.assertj.core.api.Assertions.assertThat(t.encode("<|endoftext|>")).containsExactly(100257);
        org.assertj.core.api.Assertions.assertThat(t.specialTokens()).containsAll(Set.of("<|endoftext|>", "<|endofprompt|>"));
    }

    private static final String SMALL_BPE = "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":%s},"
            + "\"merges\":[\"a b\"]}";

    @Test
    void tokenizerJsonIdsOutOfRangeOrOfTheWrongTypeAreNamed(@TempDir Path tmp) throws IOException {
        Path huge = Files.writeString(tmp.resolve("huge.json"), "{" + String.format(SMALL_BPE, "2147483647") + "}");
        assertThatThrownBy(() -> openPath(huge)).hasMessageContaining(huge.toString())
                .hasMessageContaining("id of 'ab' is 2147483647").hasMessageContaining("accepted: an integer in 0..");
        Path negative = Files.writeString(tmp.resolve("negative.json"), "{" + String.format(SMALL_BPE, "-1") + "}");
        assertThatThrownBy(() -> openPath(negative)).hasMessageContaining("id of 'ab' is -1");
        Path noId = Files.writeString(tmp.resolve("noid.json"), "{\"added_tokens\":[{\"content\":\"<s>\"}],"
                + String.format(SMALL_BPE, "2") + "}");
        assertThatThrownBy(() -> openPath(noId)).hasMessageContaining(noId.toString())
                .hasMessageContaining("added_tokens[0] has id missing or null");
        Path step = Files.writeString(tmp.resolve("step.json"), "{\"normalizer\":{\"type\":\"Sequence\","
                + "\"normalizers\":[5]}," + String.format(SMALL_BPE, "2") + "}");
        assertThatThrownBy(() -> openPath(step)).hasMessageContaining("normalizers[0] is 5; expected an object");
        Path big = Files.writeString(tmp.resolve("big.json"), "{\"added_tokens\":[{\"id\":99999999999999999999,"
                + "\"content\":\"<s>\"}]," + String.format(SMALL_BPE, "2") + "}");
        assertThatThrownBy(() -> openPath(big)).hasMessageContaining("added_tokens[0] has id 99999999999999999999");
    }
}
