package dev.parley.admin;

import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import dev.parley.security.AccountService;
import dev.parley.security.Identity;
import dev.parley.security.TokenService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * Who may use {@code /api/admin}: an admin's valid token, of an admin not banned. Checked before a request's
 * body is read: anybody else is answered 401 or 403 without the server parsing what they sent, nor telling
 * them with a 400 what a body should hold. {@link AdminResource} asks again, for every operation.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION)
public class AdminGate implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    TokenService tokens;

    @Inject
    AdminService admin;

    /** The admin's name, or the answer for anybody else. */
    public record Entry(String admin, Response refusal) {
    }

    /** The resource the request was matched to: after matching, the filter knows which, whatever the path says. */
    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Class<?> matched = resource.getResourceClass();
        if (matched != null && AdminResource.class.isAssignableFrom(matched)) {
            Response refusal = enter(request.getHeaderString(HttpHeaders.AUTHORIZATION)).refusal();
            if (refusal != null) {
                request.abortWith(refusal);
            }
        }
    }

    public Entry enter(String authorization) {
        Optional<Identity> identity = Optional.ofNullable(authorization)
                .filter(header -> header.regionMatches(true, 0, BEARER, 0, BEARER.length())) // RFC 7235: any case
                .flatMap(header -> tokens.verify(header.substring(BEARER.length()).trim()));
        if (identity.isEmpty()) {
            return refused(Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(ErrorCode.UNAUTHORIZED, "an admin's bearer token is needed")).build());
        }
        if (!identity.get().roles().contains(AccountService.ADMIN)) {
            return refused(ApiError.response(Response.Status.FORBIDDEN, ErrorCode.FORBIDDEN, "for admins only"));
        }
        if (admin.isBanned(identity.get().user())) {
            return refused(ApiError.response(Response.Status.FORBIDDEN, ErrorCode.BANNED, "banned from this server"));
        }
        return new Entry(identity.get().user(), null);
    }

    private static Entry refused(Response refusal) {
        return new Entry(null, refusal);
    }
}
