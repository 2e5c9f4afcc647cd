package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The http sink against a receiver inside the test that checks each batch's HMAC over the bytes it
 * received, and that fails for a while under load: afterwards every record has arrived once, in order.
 */
class HttpSinkIT {
    private static final String SECRET = "a-test-hmac-secret-of-some-length";
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps what it accepts; refuses with 503 while failing, and with 401 a body whose signature is wrong. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final List<JsonNode> accepted = new ArrayList<>();
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/evidence", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/evidence";
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-NHI-Signature");
            int status;
            if (!MessageDigest.isEqual(("sha256=" + hmac(body)).getBytes(StandardCharsets.US_ASCII),
                    String.valueOf(signature).getBytes(StandardCharsets.US_ASCII))) {
                badSignatures.incrementAndGet();
                status = 401;
            } else if (failing.get()) {
                refused.incrementAndGet();
                status = 503;
            } else {
                synchronized (accepted) {
                    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                        JsonNode record = JSON.readTree(line);
                        if (ids.add(record.get("id").asText())) {
                            accepted.add(record);
                        }
                    }
                }
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }

        List<JsonNode> accepted() {
            synchronized (accepted) {
                return new ArrayList<>(accepted);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFailingReceiverDelaysDeliveryAndGetsEveryRecordSignedAndInOrder() throws Exception {
        try (Receiver receiver = new Receiver(); Database db = OwnServer.runDatabase()) {
            OwnServer own = OwnServer.on(db, "http");
            own.options().option("spi-events-listener--nhi-evidence--sinks", "file,http")
                    .option("spi-events-listener--nhi-evidence--http-url", receiver.url())
                    .option("spi-events-listener--nhi-evidence--http-hmac-secret", SECRET);
            try (KeycloakServer server = KeycloakServer.start(own.options())) {
                NhiRealm realm = OwnServer.realm(server, db, "http");
                String clientId = realm.registeredClient("posted");
                Set<String> received = ConcurrentHashMap.newKeySet();
                received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                NhiRealm.await(Duration.ofSeconds(30), () -> tokenIds(receiver), ids -> ids.containsAll(received),
                        "the first record at the receiver");

                receiver.failing.set(true);
                long end = System.nanoTime() + OUTAGE.toNanos();
                while (System.nanoTime() < end) {
                    received.add(realm.token(clientId).assertIssued().claims().getJWTID());
                    Thread.sleep(50);
                }
                assertThat(receiver.refused.get()).as("the sink kept trying").isPositive();
                receiver.failing.set(false);

                NhiRealm.await(Duration.ofSeconds(90), () -> tokenIds(receiver), ids -> ids.containsAll(received),
                        "every token's record at the receiver after the outage");
                assertThat(receiver.badSignatures.get()).isZero();
                List<JsonNode> accepted = receiver.accepted();
                for (int i = 0; i < accepted.size(); i++) {
                    assertThat(accepted.get(i).get("seq").asLong()).as("in order, without gaps").isEqualTo(i + 1L);
                }
                JsonNode status = RealmAdmin.expect(realm.rest.get(realm.api("/evidence/status"), realm.adminToken()),
                        200, "status").json();
                assertThat(status.get("sinks").get("http").get("lastSeq").asLong()).isPositive();
                assertThat(status.get("sinks").has("file")).isTrue();
            }
        }
    }

    private static Set<String> tokenIds(Receiver receiver) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (JsonNode record : receiver.accepted()) {
            if (record.get("type").asText().equals("token.issued")) {
                ids.add(record.get("details").get("tokenId").asText());
            }
        }
        return ids;
    }
}
