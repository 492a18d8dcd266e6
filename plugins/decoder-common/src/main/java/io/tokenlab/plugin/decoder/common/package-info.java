/**
 * What the decoders share: a decoder as a pipeline stage (prompts in, continuations out), the language
 * model providers bound by name, a tokenizer's end token, specials and token bytes, and the sampling
 * helpers that make every decoder break ties alike. A library bundle of its own in bundles/, imported by
 * the decoder plugins.
 */
@Version("1.0.0")
@Export
package io.tokenlab.plugin.decoder.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
