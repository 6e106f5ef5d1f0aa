package dev.parley.transport;

import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Anything else an operation throws is the server's fault: logged, and answered 500 with the API's body. */
@Provider
public class ServerFailureMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(ServerFailureMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        LOG.log(Level.WARNING, "an API request failed", e);
        return ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL,
                "the server failed; try again");
    }
}
