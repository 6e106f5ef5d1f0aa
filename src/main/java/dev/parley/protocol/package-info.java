/** The wire contract: every frame as a record, the HTTP API's error body, one shared Jsonb, the WebSocket codecs. */
package dev.parley.protocol;
