package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PremiumsAndCanonicalityTest {
    static final KitContext CONTEXT = new KitContext(null, new FileCatalog(FileCatalog.defaultDataDirectory()),
            Map.of("tokenizer/bpe", new BpeTechnique()));
    static final Tokenizer CL100K = new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "cl100k_base")), CONTEXT);

    @TempDir
    Path dir;

    @Test
    void premiumIsTheTokenCountRatio() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("eng", "one two three\nfour");
        texts.put("xxx", "a b c\nd e f");
        Map<String, TokenPremiums.Premium> p = TokenPremiums.of(FakeTokenizers.words(), texts, "eng");
        assertThat(p.get("eng").tokens()).isEqualTo(4);
        assertThat(p.get("xxx").tokens()).isEqualTo(6);
        assertThat(p.get("xxx").premium()).isEqualTo(1.5);
        assertThat(p.get("eng").premium()).isEqualTo(1.0);
    }

    @Test
    void udhrPremiumsForCl100kAndTheirChart() throws Exception {
        @SuppressWarnings("unchecked")
        List<String> table = (List<String>) new PremiumsTechnique().apply(List.of("cl100k_base", "gpt2"),
                Parameters.of(Map.of("chart.dir", dir.toString())), CONTEXT);
        assertThat(table.size()).isGreaterThan(400);
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String row : table.subList(1, table.size())) {
            rows.put(row.split("\t")[0], row.split("\t"));
        }
        assertThat(Double.parseDouble(rows.get("eng")[2])).isEqualTo(1.0);
        double french = Double.parseDouble(rows.get("fra")[2]);
        double burmese = Double.parseDouble(rows.get("mya")[2]);
        assertThat(french).isBetween(1.05, 2.0);
        assertThat(burmese).isGreaterThan(4.0);
        // GPT-2's English-centric vocabulary charges French more than cl100k does
        assertThat(Double.parseDouble(rows.get("fra")[4])).isGreaterThan(french);
        BufferedImage png = ImageIO.read(dir.resolve("premiums-cl100k_base.png").toFile());
        assertThat(png.getWidth()).isGreaterThan(400 * 3);
    }

    @Test
    void segmentationCountsAreWorkedOutByHand() {
        // tokens a, b, ab, ba, aba: "abab" = a|b|a|b, a|ba|b, a|b|ab, ab|a|b, ab|ab, aba|b -> 6
        Canonicality c = new Canonicality(FakeTokenizers.longestMatch(List.of("ab", "ba", "aba")));
        assertThat(c.segmentations("abab")).isEqualTo(BigInteger.valueOf(6));
        assertThat(c.enumerate("abab", 100)).hasSize(6);
        assertThat(c.enumerate("abab", 4)).hasSize(4);
        assertThat(c.segmentations("ab ab")).isEqualTo(BigInteger.valueOf(4));
    }

    @Test
    void canonicalEncodingsAreRecognisedAndConstructedOnesAreNot() {
        Canonicality c = new Canonicality(CL100K);
        for (String text : List.of("The cats were walking to NASA headquarters.", "hello world", "Straße 12345")) {
            int[] canonical = CL100K.encode(text);
            assertThat(c.isCanonical(canonical)).isTrue();
            assertThat(c.segmentations(text)).isGreaterThan(BigInteger.ONE);
            int nonCanonical = 0;
            for (int[] alt : c.enumerate(text, 200)) {
                assertThat(CL100K.decode(alt)).isEqualTo(text);
                if (!Arrays.equals(alt, canonical)) {
                    assertThat(c.isCanonical(alt)).isFalse();
                    nonCanonical++;
                }
            }
            assertThat(nonCanonical).isGreaterThan(0);
        }
    }

    @Test
    void artifactsOfConstructedEncodings() {
        Canonicality c = new Canonicality(CL100K);
        assertThat(c.classify(split("The cats sat", 7))).isEqualTo(Canonicality.Artifact.PLURAL_POSSESSIVE_TAIL);
        assertThat(c.classify(split("We met NASA today", 9))).isEqualTo(Canonicality.Artifact.ACRONYM_SPLIT);
        assertThat(c.classify(split("They kept walking home", 14))).isEqualTo(Canonicality.Artifact.MORPHOLOGICAL_BOUNDARY_SURFACING);
        assertThat(c.classify(split("hello world", 6))).isEqualTo(Canonicality.Artifact.WHITESPACE_DETACHMENT);
        assertThat(c.classify(split("a\n\nb", 2))).isEqualTo(Canonicality.Artifact.NEWLINE_WHITESPACE_SUBSTITUTION);
        assertThat(c.classify(split("visit Amsterdam now", 10))).isEqualTo(Canonicality.Artifact.PROPER_NOUN_AMBIGUITY);
        assertThat(c.classify(split("an elephant", 5))).isEqualTo(Canonicality.Artifact.INTRA_WORD_RESEGMENTATION);
        // the space moved from the front of "world" to the end of "hello": a boundary shift
        int space = tokenOf(" ");
        int helloSpace = findToken("hello ");
        if (helloSpace >= 0) {
            int[] shifted = concat(new int[] {helloSpace}, CL100K.encode("world"));
            assertThat(c.classify(shifted)).isEqualTo(Canonicality.Artifact.WHITESPACE_BOUNDARY_SHIFT);
        }
        assertThat(space).isGreaterThanOrEqualTo(0);
    }

    /** The text encoded as two halves cut at {@code at}: a non-canonical encoding when the cut splits a token. */
    private static int[] split(String text, int at) {
        int[] ids = concat(CL100K.encode(text.substring(0, at)), CL100K.encode(text.substring(at)));
        assertThat(ids).as("cutting %s at %d", text, at).isNotEqualTo(CL100K.encode(text));
        return ids;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int tokenOf(String s) {
        int[] ids = CL100K.encode(s);
        return ids.length == 1 ? ids[0] : -1;
    }

    private static int findToken(String s) {
        byte[] want = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int id = 0; id < 100_000; id++) {
            if (Arrays.equals(CL100K.tokenBytes(id), want)) {
                return id;
            }
        }
        return -1;
    }

    @Test
    void metricsStageReportsEveryMeasure() {
        @SuppressWarnings("unchecked")
        List<String> report = (List<String>) new MetricsTechnique().apply(new ArrayList<>(List.of(
                "The quick brown fox jumps over the lazy dog.", "Pack my box with five dozen liquor jugs.")),
                Parameters.empty(), CONTEXT);
        assertThat(report).anyMatch(l -> l.startsWith("H5_bits\t")).anyMatch(l -> l.startsWith("renyi_efficiency_alpha2\t"));
        String bpt = report.stream().filter(l -> l.startsWith("bytes_per_token")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(bpt.split("\t")[1])).isCloseTo(84.0 / 20, within(1.5));
    }
}
