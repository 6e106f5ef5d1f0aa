package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml, the machine-readable contract, names every frame type, error code and close code the server
 * has: a frame or code added to the code and not to the file is found here, not by a client's author.
 */
class AsyncApiTest {

    private static final String ASYNCAPI = read(Path.of("docs", "asyncapi.yaml"));

    /** A type both sides send ({@code typing}, {@code members}) has a message for each. */
    @Test
    void everyFrameTypeHasItsMessage() {
        Map<String, Long> described = count(Pattern.compile("const: ([a-z_]+)}"));
        Map<String, Long> types = Stream.of(ClientFrame.class, ServerFrame.class)
                .flatMap(frames -> Arrays.stream(frames.getAnnotation(JsonbTypeInfo.class).value()))
                .collect(Collectors.groupingBy(JsonbSubtype::alias, TreeMap::new, Collectors.counting()));
        List<String> missing = types.entrySet().stream()
                .filter(type -> described.getOrDefault(type.getKey(), 0L) < type.getValue())
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), missing, "frame types without a message in asyncapi.yaml");
    }

    @Test
    void theErrorCodesAreTheServers() {
        Matcher codes = Pattern.compile("const: error}[\\s\\S]*?enum: \\[([a-z_, ]+)]").matcher(ASYNCAPI);
        assertTrue(codes.find(), "the error message's code enum");
        Set<String> described = new TreeSet<>(Arrays.asList(codes.group(1).split(",\\s*")));
        Set<String> sent = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(sent, described);
    }

    @Test
    void theCloseCodesAreTheServers() throws IllegalAccessException {
        Matcher block = Pattern.compile("x-close-codes:\\n((?: {6}'\\d{4}': .*\\n)+)").matcher(ASYNCAPI);
        assertTrue(block.find(), "x-close-codes of the chat channel");
        Set<Integer> described = all(Pattern.compile("'(\\d{4})':"), block.group(1)).stream().map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> sent = new TreeSet<>();
        for (Field field : CloseCodes.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                sent.add(field.getInt(null));
            }
        }
        assertEquals(sent, described);
    }

    private static Map<String, Long> count(Pattern pattern) {
        Map<String, Long> found = new TreeMap<>();
        Matcher matcher = pattern.matcher(ASYNCAPI);
        while (matcher.find()) {
            found.merge(matcher.group(1), 1L, Long::sum);
        }
        return found;
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("the tests run in the project's directory: " + path.toAbsolutePath(), e);
        }
    }
}
