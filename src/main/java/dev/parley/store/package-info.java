/** The JPA side of rooms, memberships and messages, and the one data source that H2 or PostgreSQL backs. */
package dev.parley.store;
