/** The mean-init baseline of the transplantation papers: new tokens get the mean of the base table. */
package io.tokenlab.plugin.transplant.mean;
