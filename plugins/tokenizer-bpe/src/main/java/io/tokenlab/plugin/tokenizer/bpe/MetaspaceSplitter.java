package io.tokenlab.plugin.tokenizer.bpe;

import java.util.List;

/**
 * SentencePiece's whitespace handling as Hugging Face's Metaspace pre-tokenizer: spaces become the
 * replacement ({@code ▁}), the replacement is prepended (always, only at the start of the text, or
 * never) and, with {@code split}, each piece starts at a replacement character. A prepended
 * character takes the origin span of the character it precedes.
 */
final class MetaspaceSplitter implements PieceSplitter {
    enum Prepend { ALWAYS, FIRST, NEVER }

    private final char replacement;
    private final Prepend prepend;
    private final boolean split;

    MetaspaceSplitter(char replacement, Prepend prepend, boolean split) {
        this.replacement = replacement;
        this.prepend = prepend;
        this.split = split;
    }

    @Override
    public void split(Normalizer.Result in, boolean atTextStart, List<Normalizer.Result> out) {
        String s = in.text();
        if (s.isEmpty()) {
            return;
        }
        boolean add = s.charAt(0) != replacement && s.charAt(0) != ' '
                && (prepend == Prepend.ALWAYS || (prepend == Prepend.FIRST && atTextStart));
        int shift = add ? 1 : 0;
        char[] chars = new char[s.length() + shift];
        int[] starts = new int[chars.length];
        int[] ends = new int[chars.length];
        if (add) {
            chars[0] = replacement;
            starts[0] = in.originStarts()[0];
            ends[0] = in.originEnds()[0];
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            chars[i + shift] = c == ' ' ? replacement : c;
        }
        System.arraycopy(in.originStarts(), 0, starts, shift, s.length());
        System.arraycopy(in.originEnds(), 0, ends, shift, s.length());
        Normalizer.Result replaced = new Normalizer.Result(new String(chars), starts, ends);
        if (!split) {
            out.add(replaced);
            return;
        }
        int start = 0;
        for (int i = 1; i < chars.length; i++) {
            if (chars[i] == replacement) {
                out.add(PieceSplitter.slice(replaced, start, i));
                start = i;
            }
        }
        out.add(PieceSplitter.slice(replaced, start, chars.length));
    }
}
