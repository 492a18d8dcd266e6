/**
 * The scalar reference backend. Exported so that the other backends can share its shape checks and
 * its small sequential solvers, and so that tests anywhere can compute with it without OSGi.
 */
@Version("1.1.0")
@Export
package io.tokenlab.runtime.compute.scalar;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
