/** "Simple Hack" text shortening and its pipeline stage. Private to the bundle. */
package io.tokenlab.plugin.text.shortening;
