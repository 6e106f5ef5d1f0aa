package dev.parley.transport;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Every answer of the API with a body is JSON in UTF-8, whatever the request's {@code Accept} asked: Payara's
 * Jersey took the charset from it ({@code Accept: application/json;charset=nope}), and writing the body then
 * failed with a 500 after the operation had run (a client that tried again posted its notice twice).
 */
@Provider
public class JsonResponses implements ContainerResponseFilter {

    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.hasEntity()) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, JSON_UTF8);
        }
    }
}
