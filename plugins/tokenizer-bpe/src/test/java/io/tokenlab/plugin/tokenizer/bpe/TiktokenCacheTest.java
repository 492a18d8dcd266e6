package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The binary cache gives the very vocabulary that parsing the rank file gives, and never a stale one. */
class TiktokenCacheTest {
    @Test
    void aCachedVocabularyEncodesAndDecodesAsTheParsedOne(@TempDir Path cache) throws IOException {
        for (String name : List.of("cl100k_base", "o200k_base")) {
            Path file = rankFile(name);
            TiktokenEncoding encoding = TiktokenEncoding.byName(name);
            BpeVocabulary parsed = TiktokenFile.load(file, encoding);
            BpeVocabulary first = TiktokenCache.load(file, encoding, cache); // builds and writes the cache
            assertThat(cacheFiles(cache)).anyMatch(p -> p.getFileName().toString().endsWith(name + ".tables"));
            BpeVocabulary mapped = TiktokenCache.load(file, encoding, cache);
            assertThat(mapped.model().pieceTokens).isNotSameAs(first.model().pieceTokens);
            assertSameTokenizer(parsed, mapped);
        }
    }

    @Test
    void aDamagedCacheFileIsRebuilt(@TempDir Path cache) throws IOException {
        Path file = rankFile("cl100k_base");
        TiktokenEncoding encoding = TiktokenEncoding.byName("cl100k_base");
        TiktokenCache.load(file, encoding, cache);
        Path tables = cacheFiles(cache).get(0);
        long size = Files.size(tables);
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(tables), (int) (size / 2));
        Files.write(tables, cut);
        BpeVocabulary v = TiktokenCache.load(file, encoding, cache);
        assertSameTokenizer(TiktokenFile.load(file, encoding), v);
        assertThat(Files.size(tables)).isEqualTo(size);
    }

    @Test
    void anEditedRankFileGetsItsOwnEntry(@TempDir Path cache, @TempDir Path dir) throws IOException {
        TiktokenEncoding encoding = TiktokenEncoding.byName("cl100k_base");
        Path original = rankFile("cl100k_base");
        Path edited = dir.resolve("cl100k_base.tiktoken");
        List<String> lines = Files.readAllLines(original);
        // swap the ranks of two long tokens: ids change, so a stale cache would give the wrong ones
        int a = lines.size() - 1;
        int b = lines.size() - 2;
        String la = lines.get(a);
        String lb = lines.get(b);
        lines.set(a, la.substring(0, la.indexOf(' ')) + lb.substring(lb.indexOf(' ')));
        lines.set(b, lb.substring(0, lb.indexOf(' ')) + la.substring(la.indexOf(' ')));
        Files.write(edited, lines);
        TiktokenCache.load(original, encoding, cache);
        BpeVocabulary v = TiktokenCache.load(edited, encoding, cache);
        assertThat(cacheFiles(cache)).hasSize(2);
        assertSameTokenizer(TiktokenFile.load(edited, encoding), v);
        byte[] token = java.util.Base64.getDecoder().decode(la.substring(0, la.indexOf(' ')));
        assertThat(v.model().pieceTokens.idOf(token)).isEqualTo(b);
    }

    private static void assertSameTokenizer(BpeVocabulary expected, BpeVocabulary actual) {
        Tokenizer want = new BpeTokenizer(expected, Set.of("<|endoftext|>"));
        Tokenizer got = new BpeTokenizer(actual, Set.of("<|endoftext|>"));
        String text = TestData.linuxDoc().substring(0, 200_000) + " <|endoftext|> ünïcödé 日本語 🙂";
        int[] ids = want.encode(text);
        assertThat(got.encode(text)).containsExactly(ids);
        assertThat(got.decode(ids)).isEqualTo(want.decode(ids));
        assertThat(actual.vocabularySize()).isEqualTo(expected.vocabularySize());
    }

    private static Path rankFile(String name) throws IOException {
        try (Stream<Path> s = Files.walk(TestData.fetch(name))) {
            return s.filter(p -> p.toString().endsWith(".tiktoken")).findFirst().orElseThrow();
        }
    }

    private static List<Path> cacheFiles(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".tables")).sorted().toList();
        }
    }
}
