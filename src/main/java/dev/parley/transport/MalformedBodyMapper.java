package dev.parley.transport;

import dev.parley.protocol.ApiError;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A request body that is not the JSON asked for is the client's mistake: 400, not the default 500. One that
 * passed {@link BodyLimit} while it was read is 413, whatever the JSON reader wrapped that in.
 */
@Provider
public class MalformedBodyMapper implements ExceptionMapper<ProcessingException> {

    @Override
    public Response toResponse(ProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyLimit.TooLarge) {
                return BodyLimit.tooLarge();
            }
        }
        return ApiError.response(Response.Status.BAD_REQUEST, "bad_request", "the body is not the JSON expected");
    }
}
