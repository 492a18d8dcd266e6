/**
 * The dispatching Compute service: picks a backend per call from measured cost, falls back on
 * failure. Exported so that the CLI can print {@link io.tokenlab.runtime.compute.ComputeDispatcher#report()}.
 */
@Version("1.0.0")
@Export
package io.tokenlab.runtime.compute;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
