/**
 * Pipeline stages and their typed ports: how techniques connect in a pipeline file.
 */
@Version("1.0.0")
@Export
package io.tokenlab.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
