/** FOCUS-style initialisation (Dobler and de Melo 2023): sparsemax over the similarities of a new token to the overlapping tokens in an auxiliary space weighs their base vectors. */
package io.tokenlab.plugin.transplant.focus;
