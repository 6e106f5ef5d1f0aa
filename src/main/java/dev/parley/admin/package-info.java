/** Running Parley: health checks, metrics, and the admin operations (REST, JMX, audit trail, timers). */
package dev.parley.admin;
