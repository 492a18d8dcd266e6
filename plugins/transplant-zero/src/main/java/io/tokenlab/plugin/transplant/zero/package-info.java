/** The zero-init baseline of the transplantation papers: new tokens get zero vectors, exact matches are copied. */
package io.tokenlab.plugin.transplant.zero;
