/** The mean-init and zero-init baselines of the transplantation papers: new tokens get the mean of the base table, or zeros. */
package io.tokenlab.plugin.transplant.mean;
