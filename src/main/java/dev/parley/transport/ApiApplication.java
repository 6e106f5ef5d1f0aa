package dev.parley.transport;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API lives under {@code /api}; the page and its scripts are static files at the root. */
@ApplicationPath("api")
public class ApiApplication extends Application {
}
