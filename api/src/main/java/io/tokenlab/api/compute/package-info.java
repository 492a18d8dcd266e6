/**
 * Dense float math that techniques send to the runtime's compute backends (OpenCL, Vector API, scalar).
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.compute;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
