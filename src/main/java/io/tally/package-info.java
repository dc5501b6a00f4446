/**
 * The webapp's entry points and composition root: the bootstrap the container starts, which builds
 * the real-time core over the broker the settings choose ({@code Brokers}), installs its transports
 * ({@code Transports}), the scoreboard and observability, and the filter that drains them on
 * shutdown. The only package that knows the core's internals, brokers and transports; nothing
 * depends on it.
 */
package io.tally;
