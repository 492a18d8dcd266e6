/**
 * Linear algebra shared by the technique families (image bases, transplant embedding trainers), kept in
 * one place so that every family gets the same eigen-solver, orthonormalisation and randomized SVD:
 * {@link io.tokenlab.plugin.math.common.SymmetricEigen}, {@link io.tokenlab.plugin.math.common.Orthonormal}
 * and {@link io.tokenlab.plugin.math.common.RandomizedSvd}. Products with the large matrices go through
 * {@link io.tokenlab.api.compute.Compute}; sketch panels are orthonormalised on the CPU in double.
 */
@Version("1.0.0")
@Export
package io.tokenlab.plugin.math.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
