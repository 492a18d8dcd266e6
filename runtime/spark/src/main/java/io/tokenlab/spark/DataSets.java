package io.tokenlab.spark;

import org.apache.spark.SparkContext;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The data sets a pipeline names (a vocabulary such as cl100k_base), shipped from the driver's data
 * directory with the job: executors find them in their SparkFiles folder instead of fetching them
 * from the registries, which a worker with only Spark on it cannot do.
 */
final class DataSets {
    private DataSets() {
    }

    /**
     * The catalog's data sets whose names appear as words in the pipeline file or the overrides,
     * fetched here first (the driver can reach the registries; a worker may not).
     */
    static List<Path> named(RuntimeCalls calls, String pipelineText, Iterable<String> overrides) throws Exception {
        StringBuilder text = new StringBuilder(pipelineText);
        overrides.forEach(v -> text.append('\n').append(v));
        List<Path> out = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(calls.catalogNames())) {
            if (Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w.-])").matcher(text).find()) {
                // the catalog answers with the set's file when it has one; the set is its folder data/<name>
                Path p = calls.fetch(name);
                while (p != null && !p.getFileName().toString().equals(name)) {
                    p = p.getParent();
                }
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Ships each data set as an archive that executors unpack into SparkFiles' folder under its name. */
    static void ship(SparkContext sc, List<Path> sets) throws IOException {
        Path dir = Files.createTempDirectory("tokenlab-spark-data");
        for (Path set : sets) {
            String name = set.getFileName().toString();
            Path zip = dir.resolve(name + ".zip");
            try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os);
                 Stream<Path> files = Files.walk(set)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    z.putNextEntry(new ZipEntry(set.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, z);
                    z.closeEntry();
                }
            }
            sc.addArchive(zip.toUri() + "#" + name);
        }
    }
}
