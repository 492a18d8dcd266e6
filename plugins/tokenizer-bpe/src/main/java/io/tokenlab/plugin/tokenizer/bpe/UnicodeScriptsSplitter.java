package io.tokenlab.plugin.tokenizer.bpe;

import java.util.List;

/**
 * Hugging Face's UnicodeScripts pre-tokenizer: a new piece wherever the Unicode script changes,
 * Hiragana, Katakana and U+30FC counted as Han, spaces belonging to any script. As in Hugging
 * Face, characters before the first character of a definite script are not part of any piece.
 */
final class UnicodeScriptsSplitter implements PieceSplitter {
    private static final Character.UnicodeScript ANY = null;

    private static Character.UnicodeScript script(int cp) {
        if (cp == 0x30FC) {
            return Character.UnicodeScript.HAN;
        }
        if (cp == ' ') {
            return ANY;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        if (s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA) {
            return Character.UnicodeScript.HAN;
        }
        return s;
    }

    @Override
    public void split(Normalizer.Result in, boolean atTextStart, List<Normalizer.Result> out) {
        String s = in.text();
        IntList cuts = new IntList(8);
        boolean hasLast = false;
        Character.UnicodeScript last = ANY;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            Character.UnicodeScript script = script(cp);
            boolean lastIsAny = hasLast && last == ANY;
            if (script != ANY && !lastIsAny && (!hasLast || last != script)) {
                cuts.add(i);
            }
            if (script != ANY) {
                last = script;
                hasLast = true;
            }
            i += Character.charCount(cp);
        }
        cuts.add(s.length());
        for (int k = 0; k + 1 < cuts.size; k++) {
            if (cuts.get(k + 1) > cuts.get(k)) {
                out.add(PieceSplitter.slice(in, cuts.get(k), cuts.get(k + 1)));
            }
        }
    }
}
