/** How the command line asks an installed HTTP frontend to serve. */
@Version("1.0.0")
@Export
package io.tokenlab.runtime.serve;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
