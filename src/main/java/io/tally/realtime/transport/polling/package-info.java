/**
 * Long-polling at {@code /live/poll} on asynchronous servlets; holds each poll without a thread
 * and writes the single answer. Depends only on the transport package and the Servlet API.
 */
package io.tally.realtime.transport.polling;
