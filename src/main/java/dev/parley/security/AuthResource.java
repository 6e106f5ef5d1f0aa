package dev.parley.security;

import dev.parley.protocol.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** {@code /api/auth}: tokens for the WebSocket's {@code hello}. */
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AccountService accounts;

    public record GuestRequest(String nickname) {
    }

    public record Credentials(String username, String password) {
    }

    public record Registered(String user) {
    }

    public record TokenResponse(String token, String user, Instant expiresAt) {

        static TokenResponse of(TokenService.Issued issued) {
            return new TokenResponse(issued.token(), issued.identity().user(), issued.identity().expiresAt());
        }
    }

    @POST
    @Path("register")
    public Response register(Credentials credentials) {
        Credentials given = credentials == null ? new Credentials(null, null) : credentials;
        return switch (accounts.register(given.username(), given.password())) {
            case CREATED -> Response.status(Response.Status.CREATED).entity(new Registered(given.username())).build();
            case TAKEN -> ApiError.response(Response.Status.CONFLICT, "conflict", "that user name is taken");
            case BAD_NAME -> ApiError.response(Response.Status.BAD_REQUEST, "bad_request",
                    "a user name is 3-32 of letters, digits, _ - . and does not start with guest-");
            case BAD_PASSWORD -> ApiError.response(Response.Status.BAD_REQUEST, "bad_request",
                    "a password is " + AccountService.MIN_PASSWORD + " to " + AccountService.MAX_PASSWORD
                            + " characters");
        };
    }

    /** One answer for an unknown user and a wrong password: the contract does not tell which names exist. */
    @POST
    @Path("login")
    public Response login(Credentials credentials) {
        Credentials given = credentials == null ? new Credentials(null, null) : credentials;
        return accounts.login(given.username(), given.password())
                .map(issued -> Response.ok(TokenResponse.of(issued)).build())
                .orElseGet(() -> ApiError.response(Response.Status.UNAUTHORIZED, "unauthorized",
                        "wrong user name or password"));
    }

    @POST
    @Path("guest")
    public Response guest(GuestRequest request) {
        AccountService.GuestLogin login = accounts.guest(request == null ? null : request.nickname());
        return switch (login.outcome()) {
            case ISSUED -> Response.ok(TokenResponse.of(login.issued())).build();
            case DISABLED -> ApiError.response(Response.Status.FORBIDDEN, "forbidden",
                    "guest access is switched off on this server");
            case BAD_NICKNAME -> ApiError.response(Response.Status.BAD_REQUEST, "bad_request",
                    "a nickname is 1-32 of letters, digits, _ - .");
        };
    }
}
