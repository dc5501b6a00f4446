/**
 * Named settings with defaults read from environment variables, system properties or servlet
 * context parameters. Depends on nothing of ours, so every package may use it.
 */
package io.tally.config;
