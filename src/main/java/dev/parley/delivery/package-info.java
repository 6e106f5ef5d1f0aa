/** Messages: storing them with their room seq, idempotent sends, and reading them back in seq order. */
package dev.parley.delivery;
