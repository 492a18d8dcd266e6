/**
 * The transplant kind: an embedding table for a new vocabulary from a table bound to an old one.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.transplant;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
