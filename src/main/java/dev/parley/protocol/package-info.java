/** The wire contract: every frame as a record, its decoder and one shared Jsonb, error and close codes, API bodies. */
package dev.parley.protocol;
