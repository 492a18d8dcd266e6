/** Tokenizer measures: metrics, crosslingual token premiums, canonicality. Private to the bundle. */
package io.tokenlab.plugin.tokenizer.analysis;
