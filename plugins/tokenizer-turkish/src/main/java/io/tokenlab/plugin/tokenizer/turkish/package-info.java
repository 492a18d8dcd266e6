/** The hybrid Turkish tokenizer and its pipeline stage. Private to the bundle. */
package io.tokenlab.plugin.tokenizer.turkish;
