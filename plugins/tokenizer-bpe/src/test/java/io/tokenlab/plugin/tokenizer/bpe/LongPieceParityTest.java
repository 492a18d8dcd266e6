package io.tokenlab.plugin.tokenizer.bpe;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pieces far above the short-piece limit go through the long-piece merge, whose ordering
 * (lowest rank, leftmost first) must match tiktoken's exactly; ordinary text rarely reaches it,
 * so these inputs are built to: long runs of one or a few symbols, where equal-rank pairs
 * overlap and every merge invalidates a neighbour.
 */
class LongPieceParityTest {
    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();

    @ParameterizedTest
    @CsvSource({"cl100k_base, CL100K_BASE", "o200k_base, O200K_BASE"})
    void longPiecesMatchJtokkit(String vocabulary, EncodingType type) {
        Tokenizer ours = TestData.open(vocabulary);
        BpeModel model = ((BpeTokenizer) ours).vocabulary().model();
        Encoding reference = REGISTRY.getEncoding(type);
        BpeModel.Scratch scratch = new BpeModel.Scratch(); // shared on purpose: reuse must not leak state
        List<String> inputs = inputs();
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            int[] expected = reference.encodeOrdinary(text).toArray();
            TiktokenParityTest.assertSame(vocabulary + " encode #" + i, text, expected, ours.encode(text));
            if (isOnePiece(text)) {
                // the merge alone, without the pre-tokenizer: one piece in, the same ids out
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                IntList out = new IntList(16);
                model.encodePiece(utf8, 0, utf8.length, out, null, scratch);
                TiktokenParityTest.assertSame(vocabulary + " piece #" + i, text, expected, out.toArray());
            }
        }
    }

    /**
     * Lower-case letters only, or spaces only: both pre-tokenizers leave them as one piece (o200k
     * splits mixed case, so those inputs are compared through encode alone).
     */
    private static boolean isOnePiece(String text) {
        return text.chars().allMatch(Character::isLowerCase) || text.chars().allMatch(c -> c == ' ');
    }

    private static List<String> inputs() {
        List<String> in = new ArrayList<>();
        in.add("a".repeat(100_000));
        in.add("ab".repeat(50_000));
        in.add("abc".repeat(30_000));
        in.add(" ".repeat(50_000));
        in.add("x" + " ".repeat(50_000) + "y");
        in.add("0123456789".repeat(10_000)); // cl100k splits digits into runs of three
        in.add("1".repeat(30_001));
        StringBuilder mixed = new StringBuilder();
        Random caseRandom = new Random(4);
        for (int i = 0; i < 60_000; i++) {
            char c = (char) ('a' + i % 7);
            mixed.append(caseRandom.nextInt(5) == 0 ? Character.toUpperCase(c) : c);
        }
        in.add(mixed.toString()); // one piece per upper-case-led word under o200k, one under cl100k
        in.add("aAbB".repeat(20_000));
        Random random = new Random(20240604);
        String[] alphabets = {"ab", "abc", "aab", "abcd", "eeeeet", "thes", "ng", "xyzq", "AaBb", "   a",
                "ééa", "аб"};
        for (int i = 0; i < 200; i++) {
            String alphabet = alphabets[i % alphabets.length];
            int length = 50 + random.nextInt(i < 20 ? 60_000 : 6_000);
            StringBuilder sb = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            in.add(sb.toString());
        }
        assertThat(in).hasSizeGreaterThan(200);
        return in;
    }
}
