/** Running Parley: health checks and metrics for operators (admin operations come with their issue). */
package dev.parley.admin;
