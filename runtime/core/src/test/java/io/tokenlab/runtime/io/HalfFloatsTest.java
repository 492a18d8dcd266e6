package io.tokenlab.runtime.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The F16 and BF16 conversions round to nearest even, saturate to infinity and keep NaN a NaN. */
class HalfFloatsTest {
    @Test
    void halfFloatConversionsRoundToNearestEven() {
        assertThat(HalfFloats.floatToF16(1f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.floatToF16(0x1p-24f)).isEqualTo((short) 1);
        // 1 + 2^-11 is halfway between 1 and the next half; ties go to the even mantissa (1)
        assertThat(HalfFloats.floatToF16(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(3.140625f))).isEqualTo(3.140625f);
    }

    @Test
    void nanStaysNanAndEveryHalfRoundTrips() {
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))).isNaN();
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToF16(f)).as("half 0x%04x", h).isEqualTo((short) h);
            }
        }
    }
}
