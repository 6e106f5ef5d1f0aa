package dev.parley.transport;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Negotiates the {@code parley.v1} subprotocol (clients that offer none are accepted too) and keeps the
 * client's address, which {@link HandshakeFilter} put in the request, for the connection.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    public static final String SUBPROTOCOL = "parley.v1";
    private static final String ADDRESS = "parley.address";

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested.contains(SUBPROTOCOL) ? SUBPROTOCOL : "";
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        List<String> address = request.getHeaders().get(HandshakeFilter.ADDRESS_HEADER);
        if (address == null) {
            // Header names are case-insensitive; not every container keeps their case.
            address = request.getHeaders().entrySet().stream()
                    .filter(e -> HandshakeFilter.ADDRESS_HEADER.equalsIgnoreCase(e.getKey()))
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        }
        if (address != null && !address.isEmpty()) {
            config.getUserProperties().put(ADDRESS, address.get(0));
        }
    }

    /** The client's address as the handshake saw it, or "unknown" (standalone Tyrus has no filter). */
    static String remoteAddress(Session session) {
        Object address = session.getUserProperties().get(ADDRESS);
        return address == null ? "unknown" : address.toString();
    }
}
