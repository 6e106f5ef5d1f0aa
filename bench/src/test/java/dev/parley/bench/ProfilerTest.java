package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {

    @Test
    void theLiveHeapIsTheHistogramsTotalBytes() {
        List<String> histogram = List.of(
                "1118:",
                " num     #instances         #bytes  class name (module)",
                "-------------------------------------------------------",
                "   1:        486371       32479664  [B (java.base@17.0.15)",
                "   2:         15000        2880000  io.undertow.server.HttpServerExchange",
                "Total       4637587      182562704");
        assertEquals(182_562_704L, Profiler.totalBytes(histogram));
    }

    @Test
    void noJcmdIsSentToAServerThatIsNoJvm(@TempDir File folder) {
        Target node = new Target("socketio", null, URI.create("http://127.0.0.1:1"), ProcessHandle.current().pid(), 0);
        File histogram = new File(folder, "histogram");
        Options options = new Options(new String[] {"--histogram", histogram.getPath()}, 0);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Profiler.histogram(node, options, ".before"));
        assertEquals("--jfr and --histogram need a JVM: the server is socketio", refused.getMessage());
        assertFalse(new File(folder, "histogram.before").exists());
    }

    @Test
    void aHistogramWithoutItsTotalIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> Profiler.totalBytes(List.of("1118:", "   1:        486371       32479664  [B")));
    }
}
