package dev.parley.protocol;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The body of every HTTP error of the API: an error code of the contract and a sentence for people. */
public record ApiError(String error, String message) {

    public ApiError(ErrorCode error, String message) {
        this(error.wire(), message);
    }

    public static Response response(Response.Status status, ErrorCode error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, message))
                .build();
    }
}
