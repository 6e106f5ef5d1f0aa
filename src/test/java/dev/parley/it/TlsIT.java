package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * https and wss on the test server's TLS port ({@code it.https.port}), with the self-signed certificate that the
 * build generated for localhost and 127.0.0.1 ({@code it.tls.keystore}). The clients trust exactly that
 * certificate and verify host names, as a browser that was told to trust it would.
 */
@ExtendWith({FreshServer.class, ArquillianExtension.class})
@RunAsClient
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static X509Certificate certificate;
    private static SSLContext trustsTheCertificate;
    private static HttpClient https;

    @BeforeAll
    static void trustTheGeneratedCertificate() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("it.tls.keystore")))) {
            keystore.load(in, System.getProperty("it.tls.password").toCharArray());
        }
        certificate = (X509Certificate) keystore.getCertificate(System.getProperty("it.tls.alias"));
        assertNotNull(certificate, "no certificate under the alias the server was given");

        // A trust store with the certificate only: no private key, no public CAs.
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("parley-it", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trustsTheCertificate = SSLContext.getInstance("TLS");
        trustsTheCertificate.init(null, factory.getTrustManagers(), null);

        assertEquals(null, System.getProperty("jdk.internal.httpclient.disableHostnameVerification"),
                "the JDK client must verify host names in this test");
        https = HttpClient.newBuilder()
                .sslContext(trustsTheCertificate)
                .sslParameters(verifyingHostNames())
                .connectTimeout(WAIT)
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void thePageIsServedOverHttps(String host) throws Exception {
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(https(host, "")).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("<title>Parley</title>"), response.body());
        assertEquals(certificate, response.sslSession().orElseThrow().getPeerCertificates()[0],
                "the server presents the certificate of the configured alias");
    }

    @Test
    void theCertificateNamesLocalhostAndTheLoopbackAddress() throws Exception {
        List<List<?>> names = certificate.getSubjectAlternativeNames().stream().<List<?>>map(List::copyOf).toList();
        assertTrue(names.contains(List.of(2, "localhost")), "SAN dns:localhost in " + names);
        assertTrue(names.contains(List.of(7, "127.0.0.1")), "SAN ip:127.0.0.1 in " + names);
    }

    @Test
    void anotherHostNameIsRefusedAndSoIsAClientThatDoesNotTrustTheCertificate() throws Exception {
        handshake("localhost");
        SSLHandshakeException wrongName = assertThrows(SSLHandshakeException.class,
                () -> handshake("chat.example.org"));
        assertTrue(String.valueOf(wrongName.getMessage()).contains("chat.example.org"), wrongName.toString());

        HttpClient publicCasOnly = HttpClient.newBuilder().connectTimeout(WAIT).build();
        assertThrows(SSLHandshakeException.class, () -> publicCasOnly.send(
                HttpRequest.newBuilder(https("localhost", "")).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.discarding()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void aGuestSignsInAndIsWelcomedOverWss(String host) throws Exception {
        HttpResponse<String> login = https.send(HttpRequest.newBuilder(https(host, "api/auth/guest")).timeout(WAIT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nickname\":\"" + Server.unique("tls") + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String token = Json.createReader(new StringReader(login.body())).readObject().getString("token");

        // The Origin a page served from this https address sends: the same origin, so it passes.
        try (WsClient client = WsClient.connect(https, URI.create("wss://" + host + ":" + port() + "/parley/ws"),
                "https://" + host + ":" + port())) {
            assertEquals("parley.v1", client.subprotocol());
            client.send(WsClient.frame("hello").add("ref", "h").add("token", token).build());
            client.reply("h", "welcome");
        }
    }

    /**
     * How frames leave is the server's own choice (performance.md, item 16), and a Payara whose internals moved
     * would fall back to the slower way without a word but for its log: over ws straight to Grizzly's
     * connection, over wss through Tyrus, which encrypts them. The server says each once, at the first such
     * connection, which may be another class's of the run: this class makes both so that they are said.
     */
    @Test
    void theServerLogSaysFramesOverWsGoStraightToGrizzlyAndOverWssThroughTyrus() throws Exception {
        WsClient.hello(Server.ws(), Server.guest(Server.unique("plain")).getString("token")).close();
        aGuestSignsInAndIsWelcomedOverWss("localhost");
        ServerLog.awaitOnce("frames are written to Grizzly's connection, below the servlet layer");
        ServerLog.awaitOnce("frames over TLS, or a filter chain not looked through, go through Tyrus");
    }

    private static String port() {
        return System.getProperty("it.https.port");
    }

    private static URI https(String host, String path) {
        return URI.create("https://" + host + ":" + port() + "/parley/" + path);
    }

    private static SSLParameters verifyingHostNames() {
        SSLParameters parameters = trustsTheCertificate.getDefaultSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** A TLS handshake with the test server on 127.0.0.1 that verifies the certificate against this host name. */
    private static void handshake(String hostName) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port())), (int) WAIT.toMillis());
            try (SSLSocket tls = (SSLSocket) trustsTheCertificate.getSocketFactory()
                    .createSocket(plain, hostName, plain.getPort(), false)) {
                tls.setSSLParameters(verifyingHostNames());
                tls.setSoTimeout((int) WAIT.toMillis());
                tls.startHandshake();
                assertInstanceOf(X509Certificate.class, tls.getSession().getPeerCertificates()[0]);
            }
        }
    }
}
