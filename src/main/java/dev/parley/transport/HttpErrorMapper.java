package dev.parley.transport;

import dev.parley.protocol.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The API's errors that the container finds before an operation runs (no such path, a method or media type the
 * path does not take) answer with the API's error body, not the server's HTML page. An error Parley made
 * itself keeps its body.
 */
@Provider
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given;
        }
        Response.Status status = Response.Status.fromStatusCode(given.getStatus());
        if (status == null) {
            status = given.getStatus() >= 500 ? Response.Status.INTERNAL_SERVER_ERROR : Response.Status.BAD_REQUEST;
        }
        // The container's headers stay (Allow on a 405).
        return Response.fromResponse(given).status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(codeOf(status.getStatusCode()), sentence(status))).build();
    }

    private static String sentence(Response.Status status) {
        return switch (status) {
            case NOT_FOUND -> "no such path in the API";
            case METHOD_NOT_ALLOWED -> "the path does not take that method";
            case NOT_ACCEPTABLE -> "the API answers in application/json only";
            case UNSUPPORTED_MEDIA_TYPE -> "the API takes application/json bodies only";
            default -> status.getReasonPhrase().toLowerCase();
        };
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }
}
