/** What nodes share: the bus of room and node events, who is online where (presence), and the grid behind them. */
package dev.parley.cluster;
