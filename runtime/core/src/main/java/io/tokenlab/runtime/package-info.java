/**
 * Exported for the runtime's own service modules (runtime/http): they reach the running runtime as
 * the {@code TokenlabRuntime} service, registered by {@code RuntimeComponent}, and use these types.
 * Plugins never import them.
 */
@Version("1.0.0")
@Export
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"io.tokenlab.runtime.TokenlabRuntime\"")
package io.tokenlab.runtime;

import org.osgi.annotation.bundle.Capability;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
