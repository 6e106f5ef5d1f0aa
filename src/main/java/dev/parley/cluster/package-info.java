/** The bus that carries every room event to the connections of every node. */
package dev.parley.cluster;
