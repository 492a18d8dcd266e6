package io.tokenlab.spark;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Runs a task's documents through the pipeline in batches (one pipeline call per batch, as {@code run}
 * makes one call for its whole input). A failing batch is run again document by document to name the
 * document that fails, with the runtime's message naming the stage and technique.
 */
final class PartitionEncoder implements Iterator<PartitionEncoder.Batch> {
    /** Documents of one batch, their token ids, and the ids as {@code run} writes them. */
    record Batch(List<Document> documents, List<int[]> ids, byte[] txt) {
    }

    private final Iterator<Document> documents;
    private final JobSpec spec;
    private final RuntimeCalls calls;
    private final RuntimeCalls.Checked pipeline;
    private final boolean txt;

    PartitionEncoder(Iterator<Document> documents, JobSpec spec, boolean txt) throws Exception {
        this.documents = documents;
        this.spec = spec;
        this.calls = ExecutorRuntime.calls(spec);
        this.pipeline = ExecutorRuntime.pipeline(spec);
        this.txt = txt;
    }

    @Override
    public boolean hasNext() {
        return documents.hasNext();
    }

    @Override
    public Batch next() {
        if (!documents.hasNext()) {
            throw new NoSuchElementException();
        }
        List<Document> batch = new ArrayList<>();
        long bytes = 0;
        while (documents.hasNext() && batch.size() < spec.batchDocs() && (batch.isEmpty() || bytes < spec.batchBytes())) {
            Document d = documents.next();
            batch.add(d);
            bytes += d.bytes();
        }
        try {
            List<int[]> ids = run(batch);
            return new Batch(batch, ids, txt ? calls.encode(pipeline.outputPort(), ids) : null);
        } catch (RuntimeCalls.RunFailed e) {
            throw new DocumentFailure(culprit(batch, e));
        } catch (DocumentFailure e) {
            throw e;
        } catch (Exception e) {
            throw new DocumentFailure("documents " + batch.get(0).where() + " to " + batch.get(batch.size() - 1).where()
                    + ": " + e);
        }
    }

    /** Runs one batch; the pipeline must give one row of ids per document. */
    @SuppressWarnings("unchecked")
    private List<int[]> run(List<Document> batch) throws Exception {
        Object out = calls.run(pipeline, input(batch));
        List<int[]> ids = (List<int[]>) out;
        if (ids.size() != batch.size()) {
            throw new IllegalStateException("pipeline '" + pipeline.name() + "' gave " + ids.size() + " rows for "
                    + batch.size() + " documents; the Spark runner needs one row per document");
        }
        return ids;
    }

    /**
     * A text file's lines go through the runtime's own reader (decoding as {@code run} does, raw bytes
     * for techniques that take them); JSONL fields and Parquet values are documents already.
     */
    private Object input(List<Document> batch) throws Exception {
        return texts(calls, pipeline, batch);
    }

    /** The batch's documents as the pipeline's text input (see {@link #input}). */
    static Object texts(RuntimeCalls calls, RuntimeCalls.Checked pipeline, List<Document> batch) throws Exception {
        if (batch.get(0).raw() == null) {
            List<String> texts = new ArrayList<>(batch.size());
            for (Document d : batch) {
                texts.add(d.text());
            }
            return texts;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Document d : batch) {
            joined.write(d.raw());
            joined.write('\n');
        }
        return calls.read(pipeline.inputPort(), joined.toByteArray(), batch.get(0).path(), pipeline.rawBytes(),
                System.err::println);
    }

    private String culprit(List<Document> batch, RuntimeCalls.RunFailed batchFailure) {
        if (batch.size() > 1) {
            for (Document d : batch) {
                try {
                    run(List.of(d));
                } catch (Exception e) {
                    return "document " + d.where() + ": " + e.getMessage();
                }
            }
        }
        return (batch.size() == 1 ? "document " : "documents from ") + batch.get(0).where() + ": "
                + batchFailure.getMessage();
    }

    /**
     * A task failure that names the document and carries the runtime's message (pipeline, stage,
     * technique). It carries no cause: the runtime's exception classes cannot be loaded on the driver,
     * and Spark would report an undeserializable failure without its message.
     */
    static final class DocumentFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DocumentFailure(String message) {
            super(message);
        }
    }
}
