/** The {@code transplant/omp} technique: Orthogonal Matching Pursuit over shared anchor tokens. */
package io.tokenlab.plugin.transplant.omp;
