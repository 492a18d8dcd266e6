package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real text and a real vocabulary for tests: the linux-doc corpus and GPT-2's BPE, through the data catalog. */
final class RealText {
    private RealText() {
    }

    static Path dataDirectory() {
        return Path.of(System.getProperty("tokenlab.root", "../.."), "data");
    }

    static RunContext context() {
        return new KitContext(null, new FileCatalog(dataDirectory()), Map.of("tokenizer/bpe", new BpeTechnique()));
    }

    static Tokenizer gpt2(RunContext context) {
        return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "gpt2")), context);
    }

    /** Documents of the corpus split deterministically: every {@code heldOutEvery}-th file is held out. */
    static List<List<String>> trainAndHeldOut(RunContext context, long trainBytes, long heldOutBytes, int heldOutEvery)
            throws IOException {
        List<Path> files = NgramTrainer.corpusFiles(context.data().fetch("linux-doc"));
        List<String> train = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        long t = 0;
        long h = 0;
        for (int i = 0; i < files.size() && (t < trainBytes || h < heldOutBytes); i++) {
            boolean held = i % heldOutEvery == heldOutEvery - 1;
            String text = NgramTrainer.readDocument(files.get(i), 200_000);
            if (held && h < heldOutBytes) {
                heldOut.add(text);
                h += text.length();
            } else if (!held && t < trainBytes) {
                train.add(text);
                t += text.length();
            }
        }
        return List.of(train, heldOut);
    }
}
