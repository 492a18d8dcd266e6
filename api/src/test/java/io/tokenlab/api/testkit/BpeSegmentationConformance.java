package io.tokenlab.api.testkit;

import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks that a byte-level BPE tokenizer segments each pre-token exactly as rank-ordered merges do
 * ({@link RankedMergeReference}). Round trips, determinism and offsets hold for any segmentation; this
 * is the check that a wrong merge order, a tie broken to the right, or a fast path for long pieces that
 * drifts from the slow one fails. A plugin test extends it for each byte-level vocabulary it reads.
 */
public abstract class BpeSegmentationConformance {
    /** Lowercase words of several scripts; with at most one leading space each is one pre-token of the GPT-2, cl100k and o200k patterns. */
    protected static final List<String> WORDS = List.of(
            "the", "tokenization", "internationalization", "antidisestablishmentarianism", "bookkeeper",
            "mississippi", "committee", "successfully", "aardvark", "zzz", "strengths", "rhythm", "queueing",
            "straße", "façade", "naïve", "été", "überschreitung", "kağıtçılık", "çocukların",
            "привет", "достопримечательность", "ελληνικά", "עברית", "العربية", "हिन्दी",
            "日本語のテキスト", "中文文本", "한국어", "ありがとうございます");

    protected abstract Tokenizer open();

    /** The reference ranks; by default a token's rank is its id, as in tiktoken's vocabularies. */
    protected RankedMergeReference reference(Tokenizer tokenizer) {
        return RankedMergeReference.ranksAreIds(tokenizer);
    }

    /** Pieces the tokenizer's pre-tokenizer keeps whole; override when its pattern differs. */
    protected List<String> wholePieces() {
        Set<String> pieces = new LinkedHashSet<>();
        for (String w : WORDS) {
            pieces.add(w);
            pieces.add(" " + w);
            pieces.add(" " + w + w);
        }
        pieces.addAll(repeatedPieces());
        // past the short-piece length of encoders that switch algorithm for long pieces
        pieces.add(" " + String.join("", WORDS.subList(0, 8)));
        pieces.add("pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3));
        return new ArrayList<>(pieces);
    }

    /** Runs of one letter or syllable, 2 to 80 long: the same pair occurs at several places with one rank. */
    protected static List<String> repeatedPieces() {
        List<String> pieces = new ArrayList<>();
        for (String unit : List.of("a", "e", "o", "z", "la", "ha", "ab", "ana", "é", "ж", "あ")) {
            for (int n = 2; n <= 80; n = n < 12 ? n + 1 : n * 3 / 2) {
                pieces.add(unit.repeat(n));
                pieces.add(" " + unit.repeat(n));
            }
        }
        return pieces;
    }

    @Test
    void segmentsEveryPieceAsRankedMergesDo() {
        Tokenizer t = open();
        RankedMergeReference reference = reference(t);
        int compared = 0;
        for (String piece : wholePieces()) {
            int[] expected = reference.encode(piece.getBytes(StandardCharsets.UTF_8));
            int[] actual = t.encode(piece);
            if (!Arrays.equals(expected, actual)) {
                fail("'" + piece + "' is segmented " + Arrays.toString(actual) + " " + pieces(t, actual)
                        + " but rank-ordered merges give " + Arrays.toString(expected) + " " + pieces(t, expected));
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(100);
    }

    /** The pieces contain ties that matter: breaking them to the right changes some segmentation. */
    @Test
    void piecesExerciseLeftmostFirstTies() {
        Tokenizer t = open();
        RankedMergeReference leftmost = reference(t);
        RankedMergeReference rightmost = leftmost.rightmostFirst();
        List<String> differing = new ArrayList<>();
        for (String piece : wholePieces()) {
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            if (!Arrays.equals(leftmost.encode(bytes), rightmost.encode(bytes))) {
                differing.add(piece);
            }
        }
        assertThat(differing).as("pieces whose segmentation depends on the tie rule").hasSizeGreaterThan(3);
        for (String piece : differing) {
            assertThat(t.encode(piece)).as("'%s', segmented leftmost first", piece)
                    .containsExactly(leftmost.encode(piece.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static List<String> pieces(Tokenizer t, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(new String(t.tokenBytes(id), StandardCharsets.UTF_8));
        }
        return out;
    }
}
