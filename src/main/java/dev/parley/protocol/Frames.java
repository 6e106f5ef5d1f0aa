package dev.parley.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one {@link Jsonb} of the application (it is thread-safe and costly to build) and the rules that
 * turn text into frames and back.
 */
public final class Frames {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));
    /**
     * Found once: {@code Json.createReader} and its kin look the provider up on every call, which on Payara
     * searches the class path and took a lock that every reading thread queued for.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Set<String> CLIENT_TYPES = Arrays.stream(
                    ClientFrame.class.getAnnotation(jakarta.json.bind.annotation.JsonbTypeInfo.class).value())
            .map(jakarta.json.bind.annotation.JsonbSubtype::alias)
            .collect(Collectors.toUnmodifiableSet());

    private Frames() {
    }

    /**
     * The rule every text of a frame or an API body is held to, for texts that come another way (JMX): no NUL,
     * which PostgreSQL cannot store, and no half of a character.
     *
     * @throws IllegalArgumentException naming the field
     */
    public static void requireStorableText(String field, String text) {
        FrameShapes.requireStorable(field, text);
    }

    /**
     * Whether the text holds control characters (C0, DEL, C1) other than tab and line breaks. They show as
     * nothing, and JSON writes each as six ({@code \u0001}): 4,000 of them made a frame of 24,000 characters for
     * every reader, and a replay of such messages overflowed readers' queues.
     */
    public static boolean holdsControls(String text) {
        return text.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n'
                && c != '\r');
    }

    public static Jsonb jsonb() {
        return JSONB;
    }

    /** The JSON-P provider, for the few places that build JSON without binding. */
    public static JsonProvider json() {
        return JSON;
    }

    /** Reads a JSON object that Parley wrote itself (cluster events, stored frames). */
    public static JsonObject readObject(String text) {
        return read(text).asJsonObject();
    }

    /**
     * The reader is closed so that Parsson takes its 8 KiB buffer back into its pool: left open, every frame
     * read allocated a new one (the largest allocation per stored message in the store benchmark's profile).
     */
    private static JsonValue read(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /** One JSON value and nothing after it: a second frame in the same text would be lost unanswered. */
    static JsonValue readWhole(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new JsonException("no JSON value");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new JsonException("more after the JSON value");
            }
            return value;
        }
    }

    public static String encode(ServerFrame frame) {
        // By runtime type: Yasson writes the type alias then; serializing as the interface writes "{}".
        return JSONB.toJson(frame);
    }

    /**
     * A message as those who blocked its author get it: where it stands (room, seq, id, from, ts), so that
     * their order stays gap-free, and nothing of what it says ({@code kind} {@code hidden}, no text).
     */
    public static String hidden(String messageJson) {
        JsonObject message = readObject(messageJson);
        return JSON.createObjectBuilder()
                .add("type", "message")
                .add("room", message.getString("room"))
                .add("seq", message.getJsonNumber("seq"))
                .add("id", message.getString("id"))
                .add("from", message.getString("from"))
                .add("ts", message.getString("ts"))
                .add("kind", HIDDEN)
                .add("text", "")
                .build().toString();
    }

    /** The kind of a message whose author the reader blocked. */
    public static final String HIDDEN = "hidden";

    /**
     * Reads one client frame.
     *
     * @throws BadFrameException with the frame's {@code ref} when it could be read
     */
    public static ClientFrame decode(String text) throws BadFrameException {
        JsonValue value;
        try {
            value = readWhole(text);
        } catch (RuntimeException e) {
            // Parsson's refusals of a nesting too deep or a number too long are not JsonExceptions.
            throw new BadFrameException(text, null, "not valid JSON");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new BadFrameException(text, null, "a frame must be a JSON object");
        }
        JsonObject object = value.asJsonObject();
        String ref = stringField(object, "ref");
        if (ref != null && ref.length() > ClientFrame.MAX_REF) {
            throw new BadFrameException(text, null, "ref is longer than " + ClientFrame.MAX_REF + " characters");
        }
        String type = stringField(object, "type");
        if (type == null) {
            throw new BadFrameException(text, ref, "type is required and must be a string");
        }
        if (!CLIENT_TYPES.contains(type)) {
            throw new BadFrameException(text, ref, "unknown type: " + abbreviate(type));
        }
        try {
            FrameShapes.check(type, object);
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(text, ref, e.getMessage());
        } catch (RuntimeException e) { // a number too long for Parsson to read
            throw new BadFrameException(text, ref, "bad " + type + " frame: " + reason(e));
        }
        ClientFrame frequent = frequent(type, object, ref);
        if (frequent != null) {
            return frequent;
        }
        try {
            return JSONB.fromJson(text, ClientFrame.class);
        } catch (RuntimeException e) {
            throw new BadFrameException(text, ref, "bad " + type + " frame: " + reason(e));
        }
    }

    /**
     * The frames every client sends all the time (acks, pings, sends), made straight from the object parsed
     * above: binding the text again through JSON-B doubled what reading them cost. Anything unusual in them
     * (a missing field, a wrong type, a value the record refuses) answers null, and the general path reads the
     * frame and words the error as for every other frame.
     */
    private static ClientFrame frequent(String type, JsonObject object, String ref) {
        try {
            return switch (type) {
                case "ack" -> new ClientFrame.Ack(ref, required(object, "room"), requiredLong(object, "seq"),
                        optionalLong(object, "read"));
                case "ping" -> object.get("t") == null || object.get("t") == JsonValue.NULL
                        ? new ClientFrame.Ping(ref, null)
                        : new ClientFrame.Ping(ref, ((JsonNumber) object.get("t")).bigDecimalValue());
                case "send" -> new ClientFrame.Send(ref, required(object, "room"), required(object, "text"),
                        required(object, "clientMsgId"), optionalLong(object, "replyTo"));
                default -> null;
            };
        } catch (RuntimeException unusual) {
            return null;
        }
    }

    private static String required(JsonObject object, String name) {
        return ((JsonString) object.get(name)).getString();
    }

    private static long requiredLong(JsonObject object, String name) {
        return ((JsonNumber) object.get(name)).longValueExact();
    }

    private static Long optionalLong(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value == null || value == JsonValue.NULL ? null : ((JsonNumber) value).longValueExact();
    }

    private static String stringField(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString s ? s.getString() : null;
    }

    /** The deepest message names the field at fault (Yasson wraps the record's own check). */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return "a field is missing or has the wrong type";
    }

    static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
