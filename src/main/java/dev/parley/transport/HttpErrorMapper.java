package dev.parley.transport;

import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

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
            default -> status.getReasonPhrase().toLowerCase(Locale.ROOT);
        };
    }

    private static ErrorCode codeOf(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
    }
}
