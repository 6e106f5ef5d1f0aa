package dev.parley.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket to the server under test, on a Netty event loop: text frames in, text frames out, no
 * compression (neither server compresses by default). Sends may come from any thread; Netty runs them on
 * the connection's own loop, in order.
 */
final class Link extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** What the connection hears. Called on the connection's event loop, one frame at a time. */
    interface Listener {
        void text(String text);

        void closed(int code);
    }

    private static final int MAX_FRAME = 16 << 20;

    private final Listener listener;
    private final CompletableFuture<Link> opened = new CompletableFuture<>();
    private Channel channel;
    private int closeCode = 1006;

    private Link(Listener listener) {
        this.listener = listener;
    }

    /** Opens a connection; the future completes once the upgrade succeeded, or fails with the reason. */
    static CompletableFuture<Link> open(Loops loops, URI uri, String subprotocol, Listener listener) {
        Link link = new Link(listener);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(subprotocol)
                .maxFramePayloadLength(MAX_FRAME)
                .handleCloseFrames(false)
                // A non-browser client: no Origin header, as the contract allows.
                .generateOriginHeader(false)
                .handshakeTimeoutMillis(30_000)
                .build();
        new Bootstrap().group(loops.group()).channel(loops.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME),
                                link);
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        link.opened.completeExceptionally(f.cause());
                    }
                });
        return link.opened;
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    void close() {
        if (channel != null) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"))
                    .addListener(f -> channel.close());
        }
    }

    /** Runs a task on this connection's event loop, at a fixed rate, until the connection closes. */
    void every(long period, TimeUnit unit, Runnable task) {
        every(period, period, unit, task);
    }

    /** As {@link #every(long, TimeUnit, Runnable)}, the first run after {@code firstDelay}. */
    void every(long firstDelay, long period, TimeUnit unit, Runnable task) {
        ScheduledFuture<?> timer = channel.eventLoop().scheduleAtFixedRate(task, firstDelay, period, unit);
        channel.closeFuture().addListener(f -> timer.cancel(false));
    }

    boolean isOpen() {
        return channel != null && channel.isActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            opened.complete(this);
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            opened.completeExceptionally(new IllegalStateException("handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            listener.text(text.text());
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        opened.completeExceptionally(new IllegalStateException("closed before the upgrade"));
        if (channel != null) {
            listener.closed(closeCode);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        opened.completeExceptionally(cause);
        ctx.close();
    }
}
