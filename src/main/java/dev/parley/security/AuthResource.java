package dev.parley.security;

import dev.parley.config.Settings;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Set;

/** {@code /api/auth}: tokens for the WebSocket's {@code hello}. */
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    TokenService tokens;

    @Inject
    Settings settings;

    public record GuestRequest(String nickname) {
    }

    public record TokenResponse(String token, String user, Instant expiresAt) {
    }

    public record ErrorResponse(String error, String message) {
    }

    @POST
    @Path("guest")
    public Response guest(GuestRequest request) {
        if (!settings.guestsEnabled()) {
            return Response.status(Response.Status.FORBIDDEN)
                    .entity(new ErrorResponse("forbidden", "guest access is switched off on this server")).build();
        }
        if (request == null || !UserNames.isValidNickname(request.nickname())) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorResponse("bad_request", "a nickname is 1-32 of letters, digits, _ - ."))
                    .build();
        }
        TokenService.Issued issued = tokens.issue(UserNames.guest(request.nickname()), Set.of(Identity.GUEST));
        return Response.ok(new TokenResponse(issued.token(), issued.identity().user(),
                issued.identity().expiresAt())).build();
    }
}
