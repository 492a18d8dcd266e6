/**
 * The tokenizer kind: text or bytes to token ids with offsets, and back; trainers of vocabularies.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.tokenizer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
