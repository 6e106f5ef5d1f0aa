package dev.parley.security;

import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** {@code /api/auth}: tokens for the WebSocket's {@code hello}. */
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class.getName());

    @Inject
    AccountService accounts;

    @Inject
    LoginAttempts attempts;

    @Inject
    Event<AccountDeleted> deletions;

    @Context
    HttpServletRequest http;

    public record GuestRequest(String nickname) {
    }

    public record Credentials(String username, String password) {
    }

    public record Registered(String user) {
    }

    public record PasswordChangeRequest(String username, String password, String newPassword) {
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
        if (given.username() == null || given.password() == null) {
            return missing("username and password");
        }
        return attempted(() -> accounts.register(given.username(), given.password()), outcome -> switch (outcome) {
            case CREATED -> Response.status(Response.Status.CREATED).entity(new Registered(given.username())).build();
            case TAKEN -> ApiError.response(Response.Status.CONFLICT, ErrorCode.CONFLICT, "that user name is taken");
            case BAD_NAME -> ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                    "a user name is 3-32 of letters, digits, _ - . and neither starts with guest- nor is "
                            + UserNames.RESERVED_IN_WORDS);
            case BAD_PASSWORD -> badPassword();
        });
    }

    /** One answer for an unknown user and a wrong password: the contract does not tell which names exist. */
    @POST
    @Path("login")
    public Response login(Credentials credentials) {
        Credentials given = credentials == null ? new Credentials(null, null) : credentials;
        if (given.username() == null || given.password() == null) {
            return missing("username and password");
        }
        return attempted(() -> accounts.login(given.username(), given.password()), login -> login
                .map(AuthResource::token)
                .orElseGet(AuthResource::wrongCredentials));
    }

    /**
     * A new password, given the current one: the tokens issued before stop working, the connections that said
     * hello with them are closed (4501), and the answer is a token as a login's.
     */
    @POST
    @Path("password")
    public Response password(PasswordChangeRequest change) {
        PasswordChangeRequest given = change == null ? new PasswordChangeRequest(null, null, null) : change;
        if (given.username() == null || given.password() == null || given.newPassword() == null) {
            return missing("username, password and newPassword");
        }
        return attempted(() -> accounts.changePassword(given.username(), given.password(), given.newPassword()),
                changed -> switch (changed.outcome()) {
                    case CHANGED -> token(changed.issued());
                    case REFUSED -> wrongCredentials();
                    case BAD_PASSWORD -> badPassword();
                });
    }

    /**
     * The user deletes their account, given its password: 204, the tokens stop working and the connections close
     * (4501), the memberships end, and the name stays taken. 401 as a login's; 403 for the first admin.
     */
    @POST
    @Path("delete")
    public Response delete(Credentials credentials) {
        Credentials given = credentials == null ? new Credentials(null, null) : credentials;
        if (given.username() == null || given.password() == null) {
            return missing("username and password");
        }
        return attempted(() -> accounts.delete(given.username(), given.password()), outcome -> switch (outcome) {
            case DELETED -> {
                deletions.fire(new AccountDeleted(given.username()));
                yield Response.noContent().build();
            }
            case REFUSED -> wrongCredentials();
            case ADMIN -> ApiError.response(Response.Status.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "the server's first administrator's account is not deleted: it is the one that makes others");
        });
    }

    @POST
    @Path("guest")
    public Response guest(GuestRequest request) {
        AccountService.GuestLogin login = accounts.guest(request == null ? null : request.nickname(),
                http.getRemoteAddr());
        return switch (login.outcome()) {
            case ISSUED -> token(login.issued());
            case DISABLED -> ApiError.response(Response.Status.FORBIDDEN, ErrorCode.FORBIDDEN,
                    "guest access is switched off on this server");
            case BAD_NICKNAME -> ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                    "a nickname is 1-32 of letters, digits, _ - .");
            case TOO_MANY -> refused("too many a minute", "more than " + accounts.guestsPerAddress()
                    + " guest sign-ins from your address in a minute: try again later", 60);
        };
    }

    /** A token is the user's key: no cache on the way keeps it (RFC 6749, 5.1). */
    private static Response token(TokenService.Issued issued) {
        return Response.ok(TokenResponse.of(issued)).header("Cache-Control", "no-store").build();
    }

    private static Response wrongCredentials() {
        return ApiError.response(Response.Status.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "wrong user name or password");
    }

    /**
     * A body without the fields the operation needs is a client's mistake, not a wrong guess: said as such, and not
     * counted against the address's attempts.
     */
    private static Response missing(String fields) {
        return ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST, fields + " are required");
    }

    private static Response badPassword() {
        return ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST, AccountService.PASSWORD_RULE);
    }

    /** The answer to the attempt, or 429 when its address used up its attempts or the node hashes all it may. */
    private <T> Response attempted(Supplier<T> work, Function<T, Response> answer) {
        LoginAttempts.Attempt<T> made = attempts.attempt(http.getRemoteAddr(), work);
        if (made.refusal() == null) {
            return answer.apply(made.answer());
        }
        return made.refusal() == LoginAttempts.Refusal.BUSY
                ? refused("every turn at hashing taken",
                        "too many passwords are being checked on this server: try again in a moment", 1)
                : refused("too many a minute", "more than " + attempts.perAddress() + " logins, registrations, new "
                        + "passwords and deletions from your address in a minute: try again later", 60);
    }

    /**
     * 429, logged for the operator, and when to ask again: the page sends it again by itself only after a short
     * wait (a busy node).
     */
    private Response refused(String why, String message, int retryAfterSeconds) {
        LOG.info(() -> "refused a " + http.getRequestURI().substring(http.getRequestURI().lastIndexOf('/') + 1)
                + " from " + http.getRemoteAddr() + ": " + why);
        return Response.fromResponse(ApiError.response(Response.Status.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED,
                        message))
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .build();
    }
}
