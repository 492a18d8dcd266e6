/**
 * The data catalog: named vocabularies and corpora taken from the package registries this project
 * can reach, checked against recorded SHA-256 digests and cached in the data directory. The CLI's
 * {@code fetch} command and tests use {@link io.tokenlab.runtime.data.FileCatalog} directly.
 */
@Version("1.0.0")
@Export
package io.tokenlab.runtime.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
