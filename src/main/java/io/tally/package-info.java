/**
 * The webapp's entry points: the bootstrap the container starts, which builds the real-time core,
 * the scoreboard and observability from settings, and the filter that drains them on shutdown. The
 * only package that knows all the others; nothing depends on it.
 */
package io.tally;
