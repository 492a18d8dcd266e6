/**
 * Exported for the runtime's own service modules (runtime/http): they reach the running runtime as
 * the {@code TokenlabRuntime} service and use these types. Plugins never import them.
 */
@Version("1.0.0")
@Export
package io.tokenlab.runtime.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
