/** What a connected client can do: each request of the protocol as one call, checked on its own. */
package dev.parley.chat;
