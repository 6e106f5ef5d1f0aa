/** The database side of every store: JPA and JDBC on the one data source, H2 or PostgreSQL, and the migrations. */
package dev.parley.store;
