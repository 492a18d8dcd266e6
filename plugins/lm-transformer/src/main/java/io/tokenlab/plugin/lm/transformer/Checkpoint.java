package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.io.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models as safetensors: one F32 tensor per parameter under the transcription's names, the config
 * in {@code __metadata__} ({@link TransformerConfig#toMetadata()}), plus free-form notes (corpus,
 * tokenizer, training figures) so a file says where it came from.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    public static void write(ModelWeights weights, Map<String, String> notes, Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(notes);
        metadata.putAll(weights.config().toMetadata());
        byte[] bytes = Safetensors.write(weights.tensors(), metadata);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // written aside and moved, so a reader never sees half a file
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".part");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The weights and metadata of a file; every problem is an IOException naming the file. */
    public static Loaded read(Path file) throws IOException {
        String name = file.toString();
        Safetensors st = Safetensors.read(Files.readAllBytes(file), name);
        TransformerConfig config;
        try {
            config = TransformerConfig.fromMetadata(st.metadata(), name);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Map<String, FloatMatrix> tensors = new LinkedHashMap<>();
        for (String key : ModelWeights.shapes(config).keySet()) {
            tensors.put(key, st.tensor(key, name));
        }
        try {
            return new Loaded(ModelWeights.of(config, tensors, name), st.metadata());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public record Loaded(ModelWeights weights, Map<String, String> metadata) {
    }
}
