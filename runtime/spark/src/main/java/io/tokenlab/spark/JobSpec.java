package io.tokenlab.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What every task needs to host the job's runtime and run its pipeline: the names of the files
 * shipped with the job (Spark's {@code addFile}; found with {@code SparkFiles.get} on executors), the
 * {@code --set} overrides and how documents are batched.
 *
 * @param launchJar  file name of the exported runtime (launch.jar)
 * @param plugins    file names of the plugin jars (the bundles/ folder's jars)
 * @param pipeline   file name of the pipeline file
 * @param overrides  {@code --set stage.param=value}, in the order given
 * @param batchDocs  documents per call of the pipeline, at most
 * @param batchBytes bytes of documents per call of the pipeline, at most (a longer document runs alone)
 */
record JobSpec(String launchJar, List<String> plugins, String pipeline, Map<String, String> overrides,
               int batchDocs, long batchBytes) implements Serializable {
}
