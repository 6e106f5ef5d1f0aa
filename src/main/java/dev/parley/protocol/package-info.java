/** The wire contract: every frame as a record, one shared Jsonb, and the WebSocket codecs. */
package dev.parley.protocol;
