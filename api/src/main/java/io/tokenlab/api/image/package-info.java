/**
 * The image kind: an image to a 1-D or 2-D token sequence and back to pixels.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.image;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
