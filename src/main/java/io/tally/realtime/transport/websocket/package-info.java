/**
 * The JSR-356 endpoint at {@code /live/ws} and its {@code Connection}: a bounded outbound queue
 * with one asynchronous send in flight. Depends only on the transport package and the WebSocket
 * API.
 */
package io.tally.realtime.transport.websocket;
