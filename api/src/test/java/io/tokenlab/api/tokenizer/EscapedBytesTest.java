package io.tokenlab.api.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EscapedBytesTest {
    @Test
    void wellFormedTextIsPlainUtf8() {
        String text = "héllo 日本 \uD83D\uDE00";
        assertThat(EscapedBytes.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        assertThat(EscapedBytes.encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void badBytesBecomeEscapesAndComeBackExactly() {
        byte[] in = {'a', (byte) 0xFF, (byte) 0xC3, 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF4, (byte) 0x90};
        String s = EscapedBytes.decode(in);
        assertThat(s).isEqualTo("a\uDCFF\uDCC3b\uDCED\uDCA0\uDC80\uDCF4\uDC90");
        assertThat(EscapedBytes.encode(s)).isEqualTo(in);
    }

    @Test
    void anyByteStringRoundTrips() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[random.nextInt(40)];
            random.nextBytes(in);
            assertThat(EscapedBytes.encode(EscapedBytes.decode(in))).isEqualTo(in);
        }
    }

    @Test
    void otherLoneSurrogatesBecomeTheReplacementCharacter() {
        assertThat(EscapedBytes.encode("x\uD800y")).isEqualTo("x\uFFFDy".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedMatchesTheJdkDecoderOnEveryTwoAndThreeBytePrefix() {
        for (int b0 = 0x80; b0 < 0x100; b0++) {
            for (int b1 = 0; b1 < 0x100; b1++) {
                byte[] two = {(byte) b0, (byte) b1, (byte) 0x80, (byte) 0x80};
                String jdk = new String(two, StandardCharsets.UTF_8);
                boolean jdkValidPrefix = jdk.charAt(0) != '\uFFFD';
                boolean ours = EscapedBytes.Utf8.sequenceLength(two, 0, two.length) > 0;
                assertThat(ours).as("%02X %02X", b0, b1).isEqualTo(jdkValidPrefix);
            }
        }
    }
}
