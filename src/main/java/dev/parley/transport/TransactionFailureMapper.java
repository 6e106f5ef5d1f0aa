package dev.parley.transport;

import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A store's transaction that failed to commit (a broken key, a lost connection) is the server's fault as any
 * other: without a mapper of this exact type, Jersey's own takes it and rethrows it, and the client got the
 * server's HTML error page instead of the API's body.
 */
@Provider
public class TransactionFailureMapper implements ExceptionMapper<TransactionalException> {

    private final ServerFailureMapper failure = new ServerFailureMapper();

    @Override
    public Response toResponse(TransactionalException e) {
        return failure.toResponse(e);
    }
}
