/** The load generator: Parley and Socket.IO clients on Netty, the scenarios, and what they measure. */
package dev.parley.bench;
