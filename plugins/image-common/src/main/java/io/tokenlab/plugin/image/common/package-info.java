/**
 * Math shared by the image tokenizers: photos in and out, block layouts, ordered bases trained by
 * randomized SVD, k-means codebooks, finite scalar quantisation, entropy coding, quality metrics and
 * rate-distortion plots. Heavy products go through {@link io.tokenlab.api.compute.Compute}.
 */
@Version("1.0.0")
@Export
package io.tokenlab.plugin.image.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
