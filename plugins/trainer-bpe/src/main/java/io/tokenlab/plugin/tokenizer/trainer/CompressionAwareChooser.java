package io.tokenlab.plugin.tokenizer.trainer;

import java.util.List;
import java.util.zip.Deflater;

/**
 * Scores candidate merges by the DEFLATE size of a validation stream tokenized with them (the
 * information-theoretic view of tokenizers, arXiv 2601.09039: a tokenizer is good when what an LZ
 * compressor makes of its output is small). The stream is the validation text's pieces as token
 * ids, each id written as two (or three) big-endian bytes; merges never cross pieces.
 */
final class CompressionAwareChooser implements MergeEngine.PairChooser {
    private final int[][] pieces;
    private final int bytesPerId;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final byte[] scratch = new byte[1 << 16];
    private final java.util.Map<String, Integer> idOfBytes;
    private final List<byte[]> tokens;
    private int nextId;

    CompressionAwareChooser(List<String> validationPieces, int vocabularySize, List<byte[]> tokens) {
        pieces = new int[validationPieces.size()][];
        for (int i = 0; i < pieces.length; i++) {
            byte[] b = ByteLevel.utf8(validationPieces.get(i));
            int[] ids = new int[b.length];
            for (int k = 0; k < b.length; k++) {
                ids[k] = b[k] & 0xff;
            }
            pieces[i] = ids;
        }
        this.tokens = tokens;
        bytesPerId = vocabularySize <= 1 << 16 ? 2 : 3;
        idOfBytes = new java.util.HashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            idOfBytes.putIfAbsent(MergeEngine.key(tokens.get(id)), id);
        }
        nextId = tokens.size();
    }

    @Override
    public int choose(int[] lefts, int[] rights, byte[][] mergedTokens) {
        int best = 0;
        long bestSize = Long.MAX_VALUE;
        for (int c = 0; c < lefts.length; c++) {
            Integer existing = idOfBytes.get(MergeEngine.key(mergedTokens[c]));
            long size = compressedSize(lefts[c], rights[c], existing != null ? existing : nextId);
            if (size < bestSize) { // ties keep the more frequent candidate, which comes first
                best = c;
                bestSize = size;
            }
        }
        return best;
    }

    @Override
    public void merged(int left, int right, int result) {
        for (int i = 0; i < pieces.length; i++) {
            int[] m = MergeEngine.mergeWord(pieces[i], left, right, result);
            if (m != null) {
                pieces[i] = m;
            }
        }
        idOfBytes.putIfAbsent(MergeEngine.key(tokens.get(result)), result);
        nextId = tokens.size();
    }

    /** Size in bytes of the DEFLATE stream of the validation ids after one more merge. */
    long compressedSize(int left, int right, int result) {
        deflater.reset();
        byte[] buffer = new byte[1 << 14];
        int used = 0;
        long total = 0;
        for (int[] piece : pieces) {
            for (int i = 0; i < piece.length; i++) {
                int id = piece[i];
                if (i + 1 < piece.length && id == left && piece[i + 1] == right) {
                    id = result;
                    i++;
                }
                if (used + 3 > buffer.length) {
                    total += feed(buffer, used);
                    used = 0;
                }
                if (bytesPerId == 3) {
                    buffer[used++] = (byte) (id >>> 16);
                }
                buffer[used++] = (byte) (id >>> 8);
                buffer[used++] = (byte) id;
            }
        }
        total += feed(buffer, used);
        deflater.finish();
        while (!deflater.finished()) {
            total += deflater.deflate(scratch);
        }
        return total;
    }

    private long feed(byte[] buffer, int length) {
        deflater.setInput(buffer, 0, length);
        long out = 0;
        while (!deflater.needsInput()) {
            out += deflater.deflate(scratch);
        }
        return out;
    }

    /** The validation stream's DEFLATE size as it stands. */
    long currentSize() {
        return compressedSize(-1, -1, -1);
    }
}
