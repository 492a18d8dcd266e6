package io.tokenlab.runtime.io;

import io.tokenlab.api.tokenizer.EscapedBytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How input text that is not valid UTF-8 is read. Nothing is replaced silently: {@link #REPLACE}
 * warns with the count and the first place, {@link #FAIL} refuses the input, {@link #ESCAPE} keeps
 * every byte ({@link EscapedBytes}; the runtime picks it for techniques that work on bytes).
 */
public enum TextDecoding {
    REPLACE, FAIL, ESCAPE;

    /** The accepted values of {@code --invalid-utf8}, for help and errors. */
    public static final String ACCEPTED = "replace (U+FFFD, with a warning), fail";

    public static TextDecoding parse(String value) {
        for (TextDecoding d : values()) {
            if (d != ESCAPE && d.name().equalsIgnoreCase(value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("--invalid-utf8 " + value + ": accepted: " + ACCEPTED);
    }

    /**
     * Decodes {@code bytes} under this policy.
     *
     * @param name  the input's name for messages
     * @param warn  receives the one warning {@link #REPLACE} gives
     * @throws IOException under {@link #FAIL}, naming the input, the first bad byte and its line
     */
    public String decode(byte[] bytes, String name, Consumer<String> warn) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // fall through: the slow path counts and places the bad sequences
        }
        if (this == ESCAPE) {
            return EscapedBytes.decode(bytes);
        }
        long bad = 0;
        int first = -1;
        for (int i = 0; i < bytes.length; ) {
            int len = EscapedBytes.Utf8.sequenceLength(bytes, i, bytes.length);
            if (len == 0) {
                bad++;
                if (first < 0) {
                    first = i;
                }
                i++;
            } else {
                i += len;
            }
        }
        int line = 1;
        for (int i = 0; i < first; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        String where = String.format(Locale.ROOT, "%s: %d byte%s that %s not valid UTF-8, the first at byte offset %d "
                + "(line %d, 0x%02X)", name, bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are", first, line,
                bytes[first] & 0xff);
        if (this == FAIL) {
            throw new IOException(where + "; the input must be UTF-8 (or use --invalid-utf8 replace)");
        }
        warn.accept("warning: " + where + "; replaced by U+FFFD (--invalid-utf8 fail refuses such input)");
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
