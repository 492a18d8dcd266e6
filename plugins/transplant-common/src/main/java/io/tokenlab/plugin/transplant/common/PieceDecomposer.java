package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a new token into pieces that have rows in the base table: what FVT averages and TokenAdapt's
 * local heuristic weighs. With the old tokenizer, the token's text is encoded as the old model would
 * see it; a piece without a row (or a token whose bytes are not whole UTF-8) is split further by
 * greedy longest match over the base table's tokens, which is also the whole method for word tables
 * that have no tokenizer.
 */
public final class PieceDecomposer {
    private static final int MAX_PIECE_CHARS = 64;

    /** The pieces of one token: base-table rows and each piece's length in characters of the spelling. */
    public record Pieces(int[] rows, int[] lengths) {
        public int size() {
            return rows.length;
        }

        public int totalLength() {
            int n = 0;
            for (int l : lengths) {
                n += l;
            }
            return n;
        }
    }

    private final EmbeddingTable base;
    private final Tokenizer tokenizer;
    private final List<String> tokenizerStrings;

    public PieceDecomposer(EmbeddingTable base, Tokenizer baseTokenizer) {
        this.base = base;
        this.tokenizer = baseTokenizer;
        this.tokenizerStrings = baseTokenizer == null ? null : TokenStrings.vocabulary(baseTokenizer);
    }

    public Pieces decompose(String token) {
        List<int[]> pieces = new ArrayList<>();
        String text = tokenizer == null ? null : textOf(token);
        if (text != null && !text.isEmpty()) {
            int[] ids;
            try {
                ids = tokenizer.encode(text, Set.of());
            } catch (RuntimeException e) {
                ids = null; // e.g. the token spells a special token of the old vocabulary
            }
            if (ids != null) {
                for (int id : ids) {
                    String piece = id >= 0 && id < tokenizerStrings.size() ? tokenizerStrings.get(id) : null;
                    int row = piece == null ? -1 : base.indexOf(piece);
                    if (row >= 0) {
                        pieces.add(new int[] {row, piece.length()});
                    } else if (piece != null) {
                        longestMatch(piece, pieces);
                    }
                }
                return toPieces(pieces);
            }
        }
        longestMatch(token, pieces);
        return toPieces(pieces);
    }

    /** The text of a byte-level spelled token, if its bytes are whole UTF-8; else null. */
    private static String textOf(String token) {
        byte[] bytes = TokenStrings.bytesOf(token);
        if (bytes == null) {
            return token;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void longestMatch(String s, List<int[]> out) {
        int i = 0;
        while (i < s.length()) {
            int found = -1;
            int end = Math.min(s.length(), i + MAX_PIECE_CHARS);
            for (int j = end; j > i; j--) {
                int row = base.indexOf(s.substring(i, j));
                if (row >= 0) {
                    out.add(new int[] {row, j - i});
                    found = j;
                    break;
                }
            }
            i = found < 0 ? i + 1 : found; // a character no base token covers is skipped
        }
    }

    private static Pieces toPieces(List<int[]> pieces) {
        int[] rows = new int[pieces.size()];
        int[] lengths = new int[pieces.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = pieces.get(i)[0];
            lengths[i] = pieces.get(i)[1];
        }
        return new Pieces(rows, lengths);
    }
}
