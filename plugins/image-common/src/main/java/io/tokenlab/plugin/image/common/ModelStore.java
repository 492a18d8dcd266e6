package io.tokenlab.plugin.image.common;

import io.tokenlab.api.RunContext;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trained models cached next to the data sets they were trained on ({@code <data>/image-models/}),
 * so the first run trains a default model and later runs load it. Files are written to a temporary
 * name and renamed, so a crashed training never leaves a half model behind.
 */
public final class ModelStore {
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /** Writes a model. */
    public interface Writer<M> {
        void write(M model, DataOutputStream out) throws IOException;
    }

    /** Reads a model. */
    public interface Reader<M> {
        M read(DataInputStream in) throws IOException;
    }

    /** Trains a model. */
    public interface Trainer<M> {
        M train() throws IOException;
    }

    private ModelStore() {
    }

    /** The model directory of this run's data catalog: beside the fetched training photos. */
    public static Path directory(RunContext context) {
        try {
            return context.data().fetch(TrainingPhotos.TRAINING_SET).toAbsolutePath().getParent().resolve("image-models");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the training photos '" + TrainingPhotos.TRAINING_SET
                    + "' that locate the model cache: " + e.getMessage(), e);
        }
    }

    /**
     * The model cached under {@code name} in {@code directory}, trained and stored first if absent or
     * unreadable.
     */
    public static <M> M loadOrTrain(Path directory, String name, Reader<M> reader, Writer<M> writer, Trainer<M> trainer) {
        Path file = directory.resolve(name + ".model");
        synchronized (LOCKS.computeIfAbsent(file, f -> new Object())) {
            try {
                if (Files.isRegularFile(file)) {
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                        return reader.read(in);
                    } catch (IOException | RuntimeException e) {
                        // a model from an older format or a damaged file is retrained, not fatal
                        Files.deleteIfExists(file);
                    }
                }
                M model = trainer.train();
                Files.createDirectories(directory);
                Path tmp = Files.createTempFile(directory, "." + name, ".tmp");
                try {
                    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                        writer.write(model, out);
                    }
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return model;
            } catch (IOException e) {
                throw new UncheckedIOException("model " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
