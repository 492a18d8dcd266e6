/** Equal-Info Windows: byte n-gram model, exact arithmetic coder, windowed tokens. Private to the bundle. */
package io.tokenlab.plugin.tokenizer.equalinfo;
