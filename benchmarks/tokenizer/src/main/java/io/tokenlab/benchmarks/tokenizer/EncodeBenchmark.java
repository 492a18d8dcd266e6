package io.tokenlab.benchmarks.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** JMH: one pass over 4 MB of linux-doc per operation, tokenlab vs jtokkit, per encoding. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class EncodeBenchmark {
    @Param({"cl100k_base", "o200k_base"})
    public String vocabulary;

    private List<String> docs;
    private Tokenizer tokenlab;
    private Encoding jtokkit;

    @Setup
    public void setUp() throws Exception {
        docs = Corpus.documents(4L * 1024 * 1024);
        tokenlab = Corpus.tokenlab(vocabulary);
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(
                vocabulary.equals("cl100k_base") ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
    }

    @Benchmark
    public void tokenlab(Blackhole bh) {
        for (String d : docs) {
            bh.consume(tokenlab.encode(d));
        }
    }

    @Benchmark
    public void jtokkit(Blackhole bh) {
        for (String d : docs) {
            bh.consume(jtokkit.encodeOrdinary(d));
        }
    }
}
