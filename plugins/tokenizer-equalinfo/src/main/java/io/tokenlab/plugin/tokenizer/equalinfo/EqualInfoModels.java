package io.tokenlab.plugin.tokenizer.equalinfo;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Trains the byte model of a coder on the first bytes of a catalog data set (its files in name order). */
final class EqualInfoModels {
    private EqualInfoModels() {
    }

    static EqualInfoCoder coder(EqualInfoTechnique.Config c, RunContext context) {
        byte[] corpus;
        try {
            corpus = firstBytes(context.data().fetch(c.corpus()), c.corpus_bytes());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("corpus", e.getMessage());
        } catch (IOException e) {
            throw new TechniqueException("cannot read the training corpus '" + c.corpus() + "': " + e.getMessage(), e);
        }
        ByteNgramModel model = ByteNgramModel.train(corpus, c.order(), c.prior());
        try {
            return new EqualInfoCoder(model, c.window_bits(), c.token_bits(), c.end_bits());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("window.bits", e.getMessage());
        }
    }

    /** Up to {@code limit} bytes of the file or of the files under the directory, in path order. */
    static byte[] firstBytes(Path root, long limit) throws IOException {
        List<Path> files;
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(root);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path f : files) {
            if (out.size() >= limit) {
                break;
            }
            byte[] bytes = Files.readAllBytes(f);
            out.write(bytes, 0, (int) Math.min(bytes.length, limit - out.size()));
        }
        return out.toByteArray();
    }
}
