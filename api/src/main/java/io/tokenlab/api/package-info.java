/**
 * Types shared by every technique kind: parameters, run context, progress, errors and the technique service properties.
 */
@Version("1.1.0")
@Export
package io.tokenlab.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
