/**
 * What the transplant techniques share: embedding tables in and out (safetensors, {@code .npy},
 * GloVe/word2vec text, wink JSON), the strings of a byte-level vocabulary, decomposition of a new
 * token into old-vocabulary pieces, exact-match copying, the pipeline stage every transplant plugin
 * offers, and the PPMI + randomized SVD trainer that gives any vocabulary vectors trained here.
 * Heavy products go through {@link io.tokenlab.api.compute.Compute}.
 */
@Version("1.0.0")
@Export
package io.tokenlab.plugin.transplant.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
