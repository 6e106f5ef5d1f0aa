package dev.parley.transport;

import dev.parley.protocol.ApiBodies;
import dev.parley.protocol.ApiError;
import dev.parley.protocol.ErrorCode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the API's request bodies with {@link ApiBodies}, in place of the container's JSON-B reader, which binds
 * whatever it can convert and ignores fields it does not know. A body that is not what the operation takes is a
 * 400 saying what is wrong, before the operation runs.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class JsonBodyReader implements MessageBodyReader<Record> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Record.class.isAssignableFrom(type);
    }

    @Override
    public Record readFrom(Class<Record> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        String charset = mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("UTF-8")) {
            throw refused("a JSON body is UTF-8, not " + abbreviated(charset));
        }
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (BodyLimit.TooLarge e) {
            throw new WebApplicationException(e, BodyLimit.tooLarge());
        } catch (IOException e) {
            // The client went away while sending it, most likely: its mistake, not the server's failure.
            throw refused("the body could not be read");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refused("the body is not UTF-8");
        }
        try {
            return ApiBodies.read(type, text);
        } catch (IllegalArgumentException e) {
            throw refused(e.getMessage());
        }
    }

    private static WebApplicationException refused(String why) {
        return new WebApplicationException(ApiError.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST, why));
    }

    private static String abbreviated(String charset) {
        return charset.length() <= 32 ? charset : charset.substring(0, 32) + "…";
    }
}
