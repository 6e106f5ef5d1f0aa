/** The edges: the WebSocket endpoint and its handshake, the per-connection outbound queue, the HTTP API root. */
package dev.parley.transport;
