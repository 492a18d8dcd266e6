package io.tokenlab.runtime.io;

/**
 * IEEE binary16 and bfloat16 conversions (Java 17 has neither), rounding to nearest even: the F16 and BF16
 * tensors of safetensors files and the float16 arrays of {@code .npy} files.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // zero or subnormal
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static short floatToF16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) { // inf or NaN; NaN keeps a set mantissa bit
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) { // rounds to beyond 65504
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below the smallest normal half: subnormal or zero
            float magnitude = Float.intBitsToFloat(abs);
            int m = Math.round(magnitude * 0x1p24f); // Math.round is half-up; fix exact ties to even
            if (Math.abs(magnitude * 0x1p24f - (m - 0.5f)) == 0f && (m & 1) == 1) {
                m--;
            }
            return (short) (sign | m);
        }
        int exp = (abs >>> 23) - 112;
        int mant = abs & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
            half++; // may carry into the exponent, which is the right result
        }
        return (short) (sign | half);
    }

    static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN stays NaN
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }
}
