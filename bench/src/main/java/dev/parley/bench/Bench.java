package dev.parley.bench;

import java.util.Arrays;

/**
 * {@code java -jar parley-bench.jar SCENARIO --name value ...}: runs one scenario against a running server and
 * prints a summary and one {@code RESULT {json}} line. bench/run.sh starts the server, pins it, and calls this.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("""
                    usage: java -jar parley-bench.jar fanout|store|connect|resume [--name value ...]
                      every scenario: --server parley|socketio  --http http://127.0.0.1:8080  [--ws URL]
                                      --server-pid PID (CPU and memory from /proc)  --client-threads N
                                      --db-pid PID (PostgreSQL's postmaster: its CPU, and its children's, count
                                      as the server's)
                      fanout, store:  --connections --rooms --senders --rate (msg/s per sender; 0 = window)
                                      --window --size (bytes of text) --warmup --duration (seconds) --parallel
                      connect:        --connections --parallel --settle (seconds)
                      resume:         --messages (missed) --page (sync and history limit)
                                      --warmups (catch-ups by other readers before the measured one)""");
            System.exit(2);
        }
        Options options = new Options(args, 1);
        Target target = Target.of(options);
        Report report = switch (args[0]) {
            case "fanout", "store" -> new Traffic(args[0], target, options).run();
            case "connect" -> new Connect(target, options).run();
            case "resume" -> new Resume(target, options).run();
            default -> throw new IllegalArgumentException("unknown scenario " + args[0] + " of "
                    + Arrays.asList("fanout", "store", "connect", "resume"));
        };
        report.print();
        // Netty's loops are closed; whatever the JDK's HTTP client keeps must not hold the JVM up.
        System.exit(0);
    }
}
