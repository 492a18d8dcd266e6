/**
 * What the prune techniques share: the input checks a prune stage makes before any math and top-k by
 * score with a fixed tie rule. A library bundle of its own in bundles/, imported by the prune plugins.
 */
@Version("1.0.0")
@Export
package io.tokenlab.plugin.prune.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
