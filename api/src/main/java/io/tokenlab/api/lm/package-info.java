/**
 * Language models that decoders and scorers query: next-token log-probabilities, batched and over candidate trees.
 */
@Version("1.1.0")
@Export
package io.tokenlab.api.lm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
