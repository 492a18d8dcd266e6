package io.tokenlab.benchmarks.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Encodes the same 20 MB of real English with tokenlab and jtokkit in one JVM, single-threaded,
 * and prints MB/s of both and their ratio; then the long-input linearity checks and batch
 * scaling on 2 threads. Each figure is the best of a few timed passes after warm-up passes.
 */
public final class WholeCorpusComparison {
    private static final int PASSES = 3;

    private WholeCorpusComparison() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) * 1024 * 1024 : 20L * 1024 * 1024;
        List<String> docs = Corpus.documents(bytes);
        long total = Corpus.utf8Bytes(docs);
        System.out.printf("corpus: linux-doc, %d documents, %.1f MB%n", docs.size(), total / 1e6);
        for (String[] pair : new String[][] {{"cl100k_base", "CL100K_BASE"}, {"o200k_base", "O200K_BASE"}}) {
            Tokenizer ours = Corpus.tokenlab(pair[0]);
            Encoding jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.valueOf(pair[1]));
            long tokensOurs = 0;
            long tokensTheirs = 0;
            double bestOurs = Double.MAX_VALUE;
            double bestTheirs = Double.MAX_VALUE;
            for (int pass = 0; pass < PASSES + 1; pass++) {
                long t0 = System.nanoTime();
                long n = 0;
                for (String d : docs) {
                    n += ours.encode(d).length;
                }
                long t1 = System.nanoTime();
                long m = 0;
                for (String d : docs) {
                    m += jtokkit.encodeOrdinary(d).size();
                }
                long t2 = System.nanoTime();
                if (pass > 0) { // the first pass warms up both
                    bestOurs = Math.min(bestOurs, (t1 - t0) / 1e9);
                    bestTheirs = Math.min(bestTheirs, (t2 - t1) / 1e9);
                }
                tokensOurs = n;
                tokensTheirs = m;
            }
            double mbOurs = total / 1e6 / bestOurs;
            double mbTheirs = total / 1e6 / bestTheirs;
            System.out.printf("%-12s tokenlab %7.1f MB/s   jtokkit %7.1f MB/s   ratio %.2fx   (tokens %d vs %d%s)%n",
                    pair[0], mbOurs, mbTheirs, mbOurs / mbTheirs, tokensOurs, tokensTheirs,
                    tokensOurs == tokensTheirs ? ", equal" : ", DIFFERENT");
        }
        linearity(docs);
        batchScaling(docs);
    }

    private static void linearity(List<String> docs) throws Exception {
        Tokenizer t = Corpus.tokenlab("cl100k_base");
        StringBuilder ordinary = new StringBuilder();
        for (String d : docs) {
            if (ordinary.length() >= 1 << 20) {
                break;
            }
            ordinary.append(d);
        }
        String text = ordinary.substring(0, 1 << 20);
        String repeated = "a".repeat(1 << 20);
        Random random = new Random(1);
        StringBuilder rnd = new StringBuilder();
        while (rnd.length() < 1 << 20) {
            int cp = random.nextInt(0x10FFFF);
            if (cp < 0xD800 || cp > 0xDFFF) {
                rnd.appendCodePoint(cp);
            }
        }
        String randomCodePoints = rnd.toString();
        double perByteText = nanosPerByte(t, text);
        System.out.printf("linearity (cl100k): ordinary text %.1f ns/byte%n", perByteText);
        for (String[] c : new String[][] {{"1 MB of 'a'", repeated}, {"1 MB of random code points", randomCodePoints}}) {
            double perByte = nanosPerByte(t, c[1]);
            System.out.printf("linearity (cl100k): %-28s %.1f ns/byte = %.2fx ordinary text%n", c[0], perByte, perByte / perByteText);
        }
    }

    private static double nanosPerByte(Tokenizer t, String s) {
        long bytes = s.getBytes(StandardCharsets.UTF_8).length;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            t.encode(s);
            best = Math.min(best, (double) (System.nanoTime() - t0) / bytes);
        }
        return best;
    }

    private static void batchScaling(List<String> docs) throws Exception {
        Tokenizer t = Corpus.tokenlab("cl100k_base");
        List<String> batch = new ArrayList<>(docs);
        double one = Double.MAX_VALUE;
        double two = Double.MAX_VALUE;
        for (int pass = 0; pass < PASSES + 1; pass++) {
            long t0 = System.nanoTime();
            t.encodeBatch(batch, 1);
            long t1 = System.nanoTime();
            t.encodeBatch(batch, 2);
            long t2 = System.nanoTime();
            if (pass > 0) {
                one = Math.min(one, (t1 - t0) / 1e9);
                two = Math.min(two, (t2 - t1) / 1e9);
            }
        }
        long total = Corpus.utf8Bytes(batch);
        System.out.printf("batch (cl100k): 1 thread %.1f MB/s, 2 threads %.1f MB/s, scaling %.2fx (on %d cores)%n",
                total / 1e6 / one, total / 1e6 / two, one / two, Runtime.getRuntime().availableProcessors());
    }
}
