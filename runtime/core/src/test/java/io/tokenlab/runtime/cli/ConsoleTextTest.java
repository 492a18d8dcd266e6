package io.tokenlab.runtime.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleTextTest {
    /** What Gogo's console hands over: one char per input byte. */
    private static String asConsoleReadsIt(String typed) {
        return new String(typed.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8TypedIntoTheConsoleComesBackAsTyped() {
        for (String typed : new String[] {"日本", "naïve café", "Ελληνικά", "emoji 😀 and tab\t", "ÿ"}) {
            assertThat(ConsoleText.decode(asConsoleReadsIt(typed))).isEqualTo(typed);
        }
    }

    @Test
    void textThatIsNotMisDecodedStaysAsItIs() {
        assertThat(ConsoleText.decode("plain ascii")).isEqualTo("plain ascii");
        assertThat(ConsoleText.decode("日本")).isEqualTo("日本"); // chars above one byte: already decoded
        assertThat(ConsoleText.decode("café")).isEqualTo("café"); // é alone (0xE9) is not UTF-8: Latin-1 input
        assertThat(ConsoleText.decode(null)).isNull();
    }
}
