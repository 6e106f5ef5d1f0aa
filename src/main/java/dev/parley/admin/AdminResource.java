package dev.parley.admin;

import dev.parley.delivery.StoredMessage;
import dev.parley.protocol.ApiError;
import dev.parley.protocol.ChatException;
import dev.parley.protocol.ErrorCode;
import dev.parley.security.AccountService;
import dev.parley.security.Sanction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/admin}: the admin operations over HTTP, for tokens with the {@code admin} role only
 * ({@code Authorization: Bearer <token>}; 401 without a valid token, 403 for other users). Refused
 * operations answer 400 (bad value), 404 (no such room, user, message) or 409 (the state does not allow it).
 */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Operations for administrators")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "A token from POST /api/auth/login of an account with the admin role")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No valid bearer token")
@APIResponse(responseCode = "403", description = "The token's user is not an admin")
public class AdminResource {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,19}");

    @Inject
    AdminService admin;

    @Inject
    AdminGate gate;

    public record Notice(String text) {
    }

    /**
     * The body of an operation that takes no fields: none, {@code {}} or {@code null}. Declared so that a body with
     * a field is refused (400) rather than ignored: a ban given {@code {"minutes": 60}} would ban until lifted.
     */
    public record NoFields() {
    }

    public record Kicked(String user, int connections) {
    }

    public record Removed(String room, String user) {
    }

    public record Mute(Integer minutes) {
    }

    public record PasswordReset(String password) {
    }

    /** A mute or ban as the API shows it: kind {@code mute} or {@code ban}; no {@code until}: until lifted. */
    public record SanctionInfo(String user, String kind, Instant until, String by, Instant at) {

        static SanctionInfo of(Sanction sanction) {
            return new SanctionInfo(sanction.user(), sanction.kind().wire(), sanction.until(), sanction.by(),
                    sanction.at());
        }
    }

    public record Purge(Integer olderThanDays) {
    }

    public record Purged(int deleted) {
    }

    public record NoticedRooms(int rooms) {
    }

    /** How many invitation links the room had, expired ones not cleared away yet among them. */
    public record RemovedLinks(String room, int removed) {
    }

    /** The member a room is given to. */
    public record NewOwner(String user) {
    }

    /** The limits an operator may change; absent fields keep their values. */
    public record LimitChange(Integer framesPerSecond, Integer frameBurst, Integer maxFrameBytes,
                              Integer maxTextChars) {
    }

    @GET
    @Path("rooms")
    @Operation(summary = "Every room: latest seq, owner, access, members, online on any node, stored messages,"
            + " archived, topic")
    public Response rooms(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.rooms()).build());
    }

    @GET
    @Path("rooms/{room}")
    @Operation(summary = "One room with its members, their roles and whether they are online on any node")
    @APIResponse(responseCode = "404", description = "No such room")
    public Response room(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("room") String room) {
        return asAdmin(authorization, by -> Response.ok(admin.room(room)).build());
    }

    @GET
    @Path("connections")
    @Operation(summary = "The signed-in connections of every node: id, user, node, address, since")
    public Response connections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.connections()).build());
    }

    @GET
    @Path("users")
    @Operation(summary = "Accounts whose name starts with prefix (any case), in name order: name, admin, created,"
            + " deleted; the next page starts after the last name")
    @APIResponse(responseCode = "400", description = "A prefix no name starts with, a bad after, or a limit out of"
            + " 1 to 200")
    public Response accounts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @QueryParam("prefix") @DefaultValue("") String prefix,
                             @QueryParam("after") String after,
                             @QueryParam("limit") @DefaultValue("50") String limit) {
        return asAdmin(authorization, by -> {
            int most = (int) wholeNumber("limit", limit, 1, AccountService.MAX_LISTED);
            return Response.ok(admin.accounts(prefix, after, most)).build();
        });
    }

    @POST
    @Path("users/{user}/kick")
    @Operation(summary = "Close every connection of the user, on every node, with 4503")
    public Response kick(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("user") String user, NoFields none) {
        return asAdmin(authorization, by -> Response.ok(new Kicked(user, admin.kick(user, by))).build());
    }

    @DELETE
    @Path("rooms/{room}/members/{user}")
    @Operation(summary = "Remove the user from the room (they get left with reason kicked; they may join again)")
    @APIResponse(responseCode = "404", description = "The user is not a member of the room")
    public Response removeMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("room") String room, @PathParam("user") String user) {
        return asAdmin(authorization, by -> {
            admin.removeFromRoom(room, user, by);
            return Response.ok(new Removed(room, user)).build();
        });
    }

    @PUT
    @Path("users/{user}/mute")
    @Operation(summary = "Mute the user on the whole server for some minutes (no minutes: until lifted)")
    @APIResponse(responseCode = "404", description = "The name has no account (a guest's name may be muted)")
    public Response mute(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("user") String user, Mute mute) {
        return asAdmin(authorization, by -> Response.ok(SanctionInfo.of(admin.mute(user,
                mute == null ? null : mute.minutes(), by))).build());
    }

    @DELETE
    @Path("users/{user}/mute")
    @Operation(summary = "Lift the user's mute")
    @APIResponse(responseCode = "204", description = "Lifted")
    @APIResponse(responseCode = "404", description = "The user is not muted")
    public Response unmute(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("user") String user) {
        return lift(authorization, user, Sanction.Kind.MUTE);
    }

    @PUT
    @Path("users/{user}/ban")
    @Operation(summary = "Ban the user from the server until lifted; their connections close with 4504")
    @APIResponse(responseCode = "400", description = "The asking admin's own name")
    @APIResponse(responseCode = "404", description = "The name has no account (a guest's name may be banned)")
    public Response ban(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                        @PathParam("user") String user, NoFields none) {
        return asAdmin(authorization, by -> Response.ok(SanctionInfo.of(admin.ban(user, by))).build());
    }

    @DELETE
    @Path("users/{user}/ban")
    @Operation(summary = "Lift the user's ban")
    @APIResponse(responseCode = "204", description = "Lifted")
    @APIResponse(responseCode = "404", description = "The user is not banned")
    public Response unban(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("user") String user) {
        return lift(authorization, user, Sanction.Kind.BAN);
    }

    @PUT
    @Path("users/{user}/password")
    @Operation(summary = "Give the user a new password (one who forgot theirs): their tokens of before stop working"
            + " and their connections close with 4501, on every node")
    @APIResponse(responseCode = "204", description = "Set")
    @APIResponse(responseCode = "400", description = "The password is not 8 to 1024 characters")
    @APIResponse(responseCode = "404", description = "The user has no account")
    @APIResponse(responseCode = "409", description = "The user was changing their password meanwhile: try again")
    public Response resetPassword(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @PathParam("user") String user, PasswordReset body) {
        return asAdmin(authorization, by -> {
            admin.resetPassword(user, body == null ? null : body.password(), by);
            return Response.noContent().build();
        });
    }

    @DELETE
    @Path("users/{user}")
    @Operation(summary = "Delete the user's account, as their own deletion would: their connections close with 4501"
            + " and their memberships end, on every node; the name stays taken, the messages stay")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "The user has no account (or it was deleted already)")
    @APIResponse(responseCode = "409", description = "The first administrator's account, or the user was changing"
            + " their password meanwhile: try again")
    public Response deleteAccount(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @PathParam("user") String user) {
        return asAdmin(authorization, by -> {
            admin.deleteAccount(user, by);
            return Response.noContent().build();
        });
    }

    @GET
    @Path("sanctions")
    @Operation(summary = "The server-wide mutes and bans in force")
    public Response sanctions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.sanctions().stream().map(SanctionInfo::of).toList())
                .build());
    }

    @POST
    @Path("rooms/{room}/notices")
    @Operation(summary = "Post a system notice to the room")
    @APIResponse(responseCode = "201", description = "The stored message")
    @APIResponse(responseCode = "409", description = "The room is archived")
    public Response notice(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("room") String room, Notice notice) {
        return asAdmin(authorization, by -> {
            StoredMessage stored = admin.notice(room, notice == null ? null : notice.text(), by);
            return Response.status(Response.Status.CREATED).entity(stored.frameFor(AdminService.SYSTEM)).build();
        });
    }

    @POST
    @Path("notices")
    @Operation(summary = "Post a system notice to every room that is not archived")
    @APIResponse(responseCode = "201", description = "How many rooms got it")
    public Response noticeToAll(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Notice notice) {
        return asAdmin(authorization, by -> Response.status(Response.Status.CREATED)
                .entity(new NoticedRooms(admin.noticeToAll(notice == null ? null : notice.text(), by))).build());
    }

    @POST
    @Path("rooms/{room}/archive")
    @Operation(summary = "Archive the room: read-only for its members, closed to new ones")
    public Response archive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("room") String room, NoFields none) {
        return asAdmin(authorization, by -> Response.ok(admin.archive(room, by)).build());
    }

    @POST
    @Path("rooms/{room}/reopen")
    @Operation(summary = "Open an archived room again")
    public Response reopen(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("room") String room, NoFields none) {
        return asAdmin(authorization, by -> Response.ok(admin.reopen(room, by)).build());
    }

    @DELETE
    @Path("rooms/{room}/messages/{seq}")
    @Operation(summary = "Delete a message: its text leaves storage; members get a deletion event")
    @APIResponse(responseCode = "200", description = "The deletion event")
    public Response deleteMessage(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @PathParam("room") String room, @PathParam("seq") String seq) {
        return asAdmin(authorization, by -> Response.ok(admin.deleteMessage(room, wholeNumber("seq", seq,
                1, Long.MAX_VALUE), by).frameFor(AdminService.SYSTEM)).build());
    }

    @DELETE
    @Path("rooms/{room}/topic")
    @Operation(summary = "Clear the room's topic: members get a topic event with an empty text")
    @APIResponse(responseCode = "200", description = "The topic event")
    @APIResponse(responseCode = "404", description = "No such room")
    public Response clearTopic(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("room") String room) {
        return asAdmin(authorization, by -> Response.ok(admin.clearTopic(room, by).frameFor(AdminService.SYSTEM))
                .build());
    }

    @DELETE
    @Path("rooms/{room}/links")
    @Operation(summary = "End every invitation link of the room: the room is told when there were any")
    @APIResponse(responseCode = "200", description = "How many links the room had in force")
    @APIResponse(responseCode = "404", description = "No such room")
    public Response removeLinks(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @PathParam("room") String room) {
        return asAdmin(authorization, by -> Response.ok(new RemovedLinks(room, admin.removeLinks(room, by))).build());
    }

    @PUT
    @Path("rooms/{room}/owner")
    @Operation(summary = "Give the room to one of its members; its owner, when a member, stays on as a moderator."
            + " The room is told")
    @APIResponse(responseCode = "200", description = "The room, with its new owner")
    @APIResponse(responseCode = "400", description = "No user, or not a user name")
    @APIResponse(responseCode = "404", description = "No such room, or the user is not a member of it")
    @APIResponse(responseCode = "409", description = "The user owns the room already, or it is a direct conversation,"
            + " which nobody owns")
    public Response handOver(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("room") String room, NewOwner owner) {
        return asAdmin(authorization, by -> Response.ok(admin.handOver(room, owner == null ? null : owner.user(),
                by)).build());
    }

    @POST
    @Path("purge")
    @Operation(summary = "Remove every message older than the given number of days")
    public Response purge(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Purge purge) {
        return asAdmin(authorization, by -> {
            if (purge == null || purge.olderThanDays() == null) {
                return ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                        "olderThanDays is required");
            }
            return Response.ok(new Purged(admin.purge(purge.olderThanDays(), by))).build();
        });
    }

    @GET
    @Path("audit")
    @Operation(summary = "The newest entries of the audit trail, newest first")
    public Response audit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @QueryParam("limit") @DefaultValue("50") String limit) {
        return asAdmin(authorization, by -> Response.ok(admin.audit((int) wholeNumber("limit", limit,
                1, AdminService.MAX_AUDIT_ENTRIES))).build());
    }

    @GET
    @Path("limits")
    @Operation(summary = "The limits in force")
    public Response limits(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.limits()).build());
    }

    @PUT
    @Path("limits")
    @Operation(summary = "Change the frame rate, burst, largest frame or text length without a restart")
    public Response changeLimits(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, LimitChange change) {
        LimitChange given = change == null ? new LimitChange(null, null, null, null) : change;
        return asAdmin(authorization, by -> Response.ok(admin.changeLimits(given.framesPerSecond(),
                given.frameBurst(), given.maxFrameBytes(), given.maxTextChars(), by)).build());
    }

    @DELETE
    @Path("limits")
    @Operation(summary = "Forget every change of the limits: each node runs its configured ones again")
    public Response resetLimits(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return asAdmin(authorization, by -> Response.ok(admin.resetLimits(by)).build());
    }

    private Response lift(String authorization, String user, Sanction.Kind kind) {
        return asAdmin(authorization, by -> {
            admin.lift(user, kind, by);
            return Response.noContent().build();
        });
    }

    /**
     * A number of the path or query: parsed here, so that a bad one is a 400 naming it (the container's own
     * conversion answers 404, as if the path did not exist).
     */
    private static long wholeNumber(String name, String value, long min, long max) {
        // ASCII digits only: Long.parseLong takes any script's ("١٠" is 10).
        if (value != null && WHOLE_NUMBER.matcher(value).matches()) {
            try {
                long number = Long.parseLong(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException tooLong) {
                // answered below
            }
        }
        throw new ChatException(ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
    }

    /** Runs the operation for an admin (whose name it gets, for the audit trail); refuses everybody else. */
    private Response asAdmin(String authorization, Function<String, Response> operation) {
        AdminGate.Entry entry = gate.enter(authorization);
        if (entry.refusal() != null) {
            return entry.refusal();
        }
        try {
            return operation.apply(entry.admin());
        } catch (ChatException e) {
            return switch (e.code()) {
                case NOT_FOUND -> ApiError.response(Response.Status.NOT_FOUND, e.code(), e.getMessage());
                // What the state does not allow (a room archived meanwhile refuses a notice as forbidden): 409,
                // with the code every 409 has.
                case CONFLICT, FORBIDDEN -> ApiError.response(Response.Status.CONFLICT, ErrorCode.CONFLICT,
                        e.getMessage());
                default -> ApiError.response(Response.Status.BAD_REQUEST, e.code(), e.getMessage());
            };
        }
    }
}
