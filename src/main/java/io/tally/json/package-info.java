/**
 * The JSON codec every client byte and every frame goes through: a strict reader (depth bound,
 * duplicate keys and lone surrogates refused) and an HTML-safe writer, both over jackson-core.
 * Depends on nothing of ours.
 */
package io.tally.json;
