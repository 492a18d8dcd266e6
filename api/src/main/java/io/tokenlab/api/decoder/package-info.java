/**
 * The decoder kind: generate tokens or bytes from a language model, optionally under a constraint.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.decoder;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
