package dev.parley.admin;

import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.security.AccountService;
import dev.parley.security.Identity;
import dev.parley.security.TokenService;
import dev.parley.transport.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/admin}: the admin operations over HTTP, for tokens with the {@code admin} role only
 * ({@code Authorization: Bearer <token>}; 401 without a valid token, 403 for other users).
 */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    AdminService admin;

    @Inject
    TokenService tokens;

    public record Notice(String text) {
    }

    public record Kicked(String user, int connections) {
    }

    /** The limits an operator may change; absent fields keep their values. */
    public record LimitChange(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes,
                              Integer maxTextChars) {
    }

    @GET
    @Path("rooms")
    public Response rooms(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.rooms()).build());
    }

    @GET
    @Path("connections")
    public Response connections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.connections()).build());
    }

    @GET
    @Path("limits")
    public Response limits(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.limits()).build());
    }

    @PUT
    @Path("limits")
    public Response changeLimits(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, LimitChange change) {
        LimitChange given = change == null ? new LimitChange(null, null, null, null) : change;
        return asAdmin(authorization, by -> Response.ok(admin.changeLimits(given.framesPerSecond(),
                given.frameBurst(), given.maxFrameBytes(), given.maxTextChars(), by)).build());
    }

    @POST
    @Path("users/{user}/kick")
    public Response kick(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("user") String user) {
        return asAdmin(authorization, by -> Response.ok(new Kicked(user, admin.kick(user, by))).build());
    }

    @POST
    @Path("rooms/{room}/notices")
    public Response notice(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("room") String room, Notice notice) {
        return asAdmin(authorization, by -> {
            StoredMessage stored = admin.notice(room, notice == null ? null : notice.text(), by);
            return Response.status(Response.Status.CREATED).entity(stored.frameFor(AdminService.SYSTEM)).build();
        });
    }

    /** Runs the operation for an admin (whose name it gets, for the audit log); refuses everybody else. */
    private Response asAdmin(String authorization, Function<String, Response> operation) {
        Optional<Identity> identity = Optional.ofNullable(authorization)
                .filter(header -> header.startsWith("Bearer "))
                .flatMap(header -> tokens.verify(header.substring("Bearer ".length()).trim()));
        if (identity.isEmpty()) {
            return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("unauthorized", "an admin's bearer token is needed")).build();
        }
        if (!identity.get().roles().contains(AccountService.ADMIN)) {
            return ApiError.response(Response.Status.FORBIDDEN, "forbidden", "for admins only");
        }
        try {
            return operation.apply(identity.get().user());
        } catch (ChatException e) {
            Response.Status status = e.code() == ErrorCode.NOT_FOUND ? Response.Status.NOT_FOUND
                    : Response.Status.BAD_REQUEST;
            return ApiError.response(status, e.code().wire(), e.getMessage());
        }
    }
}
