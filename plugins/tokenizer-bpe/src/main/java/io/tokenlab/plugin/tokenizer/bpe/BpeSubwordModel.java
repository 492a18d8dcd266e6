package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.charset.StandardCharsets;

/**
 * A BPE model inside a text pipeline, for tokenizer.json files whose normalizer, pre-tokenizer or
 * added tokens the dedicated BPE path does not have: the same merges ({@link BpeModel}) run on the
 * UTF-8 bytes of each piece, token byte offsets mapped back to characters.
 */
final class BpeSubwordModel implements SubwordModel {
    private final BpeModel model;
    private final ThreadLocal<BpeModel.Scratch> scratch = ThreadLocal.withInitial(BpeModel.Scratch::new);

    BpeSubwordModel(BpeModel model) {
        this.model = model;
    }

    @Override
    public void encode(String piece, IntList ids, IntList starts, IntList ends) {
        byte[] utf8 = piece.replaceAll("\\p{Cs}", "\uFFFD").getBytes(StandardCharsets.UTF_8);
        if (starts == null) {
            model.encodePiece(utf8, 0, utf8.length, ids, null, scratch.get());
            return;
        }
        int[] charAtByte = new int[utf8.length + 1];
        int b = 0;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            for (int k = 0; k < len && b + k < utf8.length; k++) {
                charAtByte[b + k] = i;
            }
            b += len;
            i += Character.charCount(cp);
        }
        charAtByte[utf8.length] = piece.length();
        int before = ids.size;
        IntList tokenStarts = new IntList(16);
        model.encodePiece(utf8, 0, utf8.length, ids, tokenStarts, scratch.get());
        for (int t = 0; t < ids.size - before; t++) {
            int startByte = tokenStarts.get(t);
            int endByte = t + 1 < tokenStarts.size ? tokenStarts.get(t + 1) : utf8.length;
            int startChar = charAtByte[startByte];
            int lastChar = charAtByte[endByte - 1];
            starts.add(startChar);
            ends.add(lastChar + Character.charCount(piece.codePointAt(lastChar)));
        }
    }
}
