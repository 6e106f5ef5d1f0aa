/** Who a client is and what it may: accounts, passwords, tokens, bans, blocks, the Origin check, rates of tries. */
package dev.parley.security;
