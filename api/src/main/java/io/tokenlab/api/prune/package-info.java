/**
 * The prune kind: choose which tokens of a token set to keep.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.prune;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
