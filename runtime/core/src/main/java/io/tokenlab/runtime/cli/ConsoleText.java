package io.tokenlab.runtime.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Arguments typed into the Gogo shell of {@code tokenlab start}. Gogo's console reads its input one
 * byte at a time and turns each byte into one char, whatever the JVM's charset, so a UTF-8 terminal's
 * "日本" arrives as the six chars of its six bytes. This undoes that: an argument whose chars all fit
 * in a byte and whose bytes form valid UTF-8 with at least one multi-byte sequence is those bytes,
 * decoded. Anything else (ASCII, text that came through intact, Latin-1 bytes that are not UTF-8) is
 * left as it is.
 */
final class ConsoleText {
    private ConsoleText() {
    }

    static String decode(String arg) {
        if (arg == null) {
            return null;
        }
        boolean high = false;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c > 0xFF) {
                return arg; // already decoded: no single byte gives this char
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return arg;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(arg.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return arg; // not UTF-8 bytes: a Latin-1 terminal's text, right as it is
        }
    }
}
