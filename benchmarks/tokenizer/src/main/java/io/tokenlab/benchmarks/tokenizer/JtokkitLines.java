package io.tokenlab.benchmarks.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peer of {@code tokenlab run pipelines/encode.yaml} as a whole process: a plain Java program
 * that encodes each line of a file with jtokkit and writes one line of space-separated ids per
 * input line, the output format of tokenlab's ids port.
 * <pre>java -cp jtokkit.jar:classes io.tokenlab.benchmarks.tokenizer.JtokkitLines ENCODING INPUT OUTPUT</pre>
 */
public final class JtokkitLines {
    private JtokkitLines() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: JtokkitLines cl100k_base|o200k_base INPUT OUTPUT");
            System.exit(2);
        }
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        Encoding encoding = registry.getEncoding(EncodingType.fromName(args[0]).orElseThrow(
                () -> new IllegalArgumentException("unknown encoding " + args[0])));
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8);
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(Path.of(args[2])),
                     StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            for (String text; (text = in.readLine()) != null; ) {
                IntArrayList ids = encoding.encodeOrdinary(text);
                line.setLength(0);
                for (int i = 0; i < ids.size(); i++) {
                    if (i > 0) {
                        line.append(' ');
                    }
                    line.append(ids.get(i));
                }
                out.append(line).append('\n');
            }
        }
    }
}
