/** Who a client is: signed, expiring tokens and the HTTP API that hands them out. */
package dev.parley.security;
