package io.tokenlab.plugin.tokenizer.bpe;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * Compares a tokenizer with Hugging Face tokenizers (the Rust library, through DJL) on the same
 * tokenizer.json: ids, the character span of every token and the decoded text. DJL reports spans
 * in code points; ours are UTF-16, converted for the comparison.
 */
final class HuggingFaceReference implements AutoCloseable {
    private final HuggingFaceTokenizer reference;
    private final boolean addSpecialTokens;
    int compared;
    int tokens;

    HuggingFaceReference(Path file, boolean addSpecialTokens) throws java.io.IOException {
        this.reference = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(addSpecialTokens)
                .optTruncation(false).optPadding(false).build();
        this.addSpecialTokens = addSpecialTokens;
    }

    /** Ids, offsets and decoded text of {@code text} equal the reference's; failures name the text and token. */
    void assertSame(String what, Tokenizer ours, String text) {
        ai.djl.huggingface.tokenizers.Encoding expected = reference.encode(text, addSpecialTokens, false);
        int[] expectedIds = Arrays.stream(expected.getIds()).mapToInt(v -> (int) v).toArray();
        Encoding actual = ours.encodeWithOffsets(text, ours.specialTokens());
        TiktokenParityTest.assertSame(what + " ids", text, expectedIds, actual.ids());
        CharSpan[] spans = expected.getCharTokenSpans();
        for (int t = 0; t < expectedIds.length; t++) {
            int es = spans[t] == null ? 0 : spans[t].getStart();
            int ee = spans[t] == null ? 0 : spans[t].getEnd();
            int as = text.codePointCount(0, actual.starts()[t]);
            int ae = text.codePointCount(0, actual.ends()[t]);
            if (es != as || ee != ae) {
                fail(what + ": token " + t + " (id " + expectedIds[t] + ", '" + expected.getTokens()[t]
                        + "') spans code points [" + es + ", " + ee + ") in the reference but [" + as + ", " + ae
                        + ") here; text starts: " + text.substring(0, Math.min(120, text.length())).replace("\n", "\\n"));
            }
        }
        String expectedText = reference.decode(expected.getIds(), false);
        String actualText = ours.decode(actual.ids());
        if (!expectedText.equals(actualText)) {
            int i = 0;
            while (i < Math.min(expectedText.length(), actualText.length()) && expectedText.charAt(i) == actualText.charAt(i)) {
                i++;
            }
            fail(what + ": decoded text differs at char " + i + ": expected '"
                    + expectedText.substring(i, Math.min(expectedText.length(), i + 30)) + "' but was '"
                    + actualText.substring(i, Math.min(actualText.length(), i + 30)) + "'");
        }
        compared++;
        tokens += expectedIds.length;
    }

    @Override
    public void close() {
        reference.close();
    }

    /**
     * Real text for parity runs: every UDHR language (its first 4000 characters), Linux and Python
     * documentation lines, and adversarial strings. Lone surrogates are left out: DJL hands Rust
     * a garbled string for them.
     */
    static List<String> realLines(int linuxChars, int pythonChars) {
        List<String> texts = new ArrayList<>();
        for (String udhr : TestData.udhr()) {
            int cut = udhr.length() <= 4000 ? udhr.length() : Math.max(0, udhr.lastIndexOf('\n', 4000));
            texts.addAll(Arrays.asList(udhr.substring(0, cut).split("\n")));
        }
        texts.addAll(TestData.linuxDocLines(linuxChars));
        texts.addAll(TestData.pythonDocLines(pythonChars));
        texts.addAll(adversarial());
        return texts;
    }

    static List<String> adversarial() {
        List<String> out = new ArrayList<>(List.of(" leading space", "two  spaces", "trailing ", "\ttab\t", "",
                " ", "   ", "\n\n\nnewlines\n", "ﬁ ligature ﬀ and é vs e\u0301 and Å vs A\u030A", "emoji 👩‍👩‍👧 🙂 🥰 🫠",
                "中文字符和日本語のかな、한국어", "mixed Ελληνικά русский עברית العربية हिन्दी ไทย", "İstanbul ǅ ß ẞ Σσς",
                "a\u0000b\u0001c\u007fd\u200be\ufeff f\u00ad g\ufffd", "x\u0301\u0302\u0303\u0304\u0305\u0306 y",
                "１２３ ＡＢＣ ｶﾀｶﾅ ㍻ ①②", "don't I'm you're it's we've", "[CLS] [SEP] [MASK] <s> </s> <unk> <pad>",
                "hello.world,foo!bar?baz;qux", "$100 + 5% = <tag> `code` |pipe| ^caret^ ~tilde~",
                "\u00a0nbsp\u2003em\u3000ideographic", "tab\u000bvt\u000cff\u001cfs\u0085nel\u2028ls"));
        out.add("a".repeat(250));
        out.add("ab".repeat(60) + " " + "xyz".repeat(40));
        out.add("supercalifragilisticexpialidocious ".repeat(30));
        out.add("\u0301".repeat(20) + "abc");
        out.add("😀".repeat(50));
        out.add("9".repeat(120) + " 3.14159265358979 1,000,000");
        return out;
    }
}
