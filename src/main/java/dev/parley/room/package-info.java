/** Rooms: durable membership, and the node's live connections per room and per user with their presence. */
package dev.parley.room;
