/** Settings from MicroProfile Config, with the contract's defaults, as plain values for the rest of the code. */
package dev.parley.config;
