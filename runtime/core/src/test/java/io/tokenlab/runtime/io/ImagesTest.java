package io.tokenlab.runtime.io;

import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.testkit.BadFiles;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images that cannot be decoded faithfully are refused with the file named, before memory runs out. */
class ImagesTest {
    /** A picture with smooth and sharp parts, so that JPEG has real entropy-coded data to cut. */
    static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x * 255 / w;
                int g = ((x / 8 + y / 8) % 2) * 200;
                int b = rnd.nextInt(256);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
        byte[] bomb = BadFiles.pngBomb(20000);
        assertThat(bomb.length).isLessThan(200_000);
        assertThatThrownBy(() -> Images.read(bomb, "bomb.png")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("bomb.png: ")
                .hasMessageContaining("20000 x 20000").hasMessageContaining("400000000 pixels")
                .hasMessageContaining("limit of " + Images.DEFAULT_MAX_PIXELS)
                .hasMessageContaining(Images.MAX_PIXELS_PROPERTY);
    }

    @Test
    void thePixelLimitIsASystemProperty() throws IOException {
        byte[] png = encode(picture(40, 30), "png");
        String before = System.getProperty(Images.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(Images.MAX_PIXELS_PROPERTY, "1199");
            assertThatThrownBy(() -> Images.read(png, "p.png")).hasMessageContaining("40 x 30")
                    .hasMessageContaining("limit of 1199");
            System.setProperty(Images.MAX_PIXELS_PROPERTY, "1200");
            assertThat(Images.read(png, "p.png").width()).isEqualTo(40);
            System.setProperty(Images.MAX_PIXELS_PROPERTY, "lots");
            assertThatThrownBy(() -> Images.read(png, "p.png")).hasMessageContaining(Images.MAX_PIXELS_PROPERTY)
                    .hasMessageContaining("'lots'").hasMessageContaining("accepted: an integer in 1..");
        } finally {
            if (before == null) {
                System.clearProperty(Images.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(Images.MAX_PIXELS_PROPERTY, before);
            }
        }
    }

    @Test
    void aCorruptPngNamesTheFile() throws IOException {
        byte[] png = encode(picture(64, 64), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        assertThatThrownBy(() -> Images.read(truncated, "cut.png")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cut.png: ").hasMessageContaining("PNG");
        byte[] garbled = png.clone();
        for (int i = png.length / 3; i < png.length / 3 + 40; i++) {
            garbled[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> Images.read(garbled, "garbled.png")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("garbled.png: ");
    }

    @Test
    void aTruncatedJpegIsRefusedNotGreyedIn() throws IOException {
        byte[] jpeg = encode(picture(128, 128), "jpg");
        FloatImage whole = Images.read(jpeg, "whole.jpg");
        assertThat(whole.width()).isEqualTo(128);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> Images.read(truncated, "cut.jpg")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cut.jpg: ").hasMessageContaining("JPEG").hasMessageContaining("truncated");
    }

    @Test
    void notAnImageSaysWhatIsAccepted() {
        assertThatThrownBy(() -> Images.read("hello".getBytes(StandardCharsets.US_ASCII), "x.txt"))
                .hasMessageContaining("x.txt: not an image").hasMessageContaining("PNG, JPEG");
    }
}
