package dev.nhi.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver for the http evidence sink inside a test or benchmark, as a SIEM would be: it checks each
 * batch's HMAC over the bytes it received (its own computation, not the extension's), keeps each record
 * once by id, and can be made to fail (503) for a while.
 */
public final class EvidenceReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final byte[] secret;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final List<JsonNode> accepted = new ArrayList<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    public EvidenceReceiver(String hmacSecret) throws IOException {
        this.secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/evidence", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/evidence";
    }

    /** While failing, every batch is refused with 503. */
    public void failing(boolean failing) {
        this.failing.set(failing);
    }

    public int refused() {
        return refused.get();
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    /** The records accepted so far, each once, in the order they arrived. */
    public List<JsonNode> accepted() {
        synchronized (accepted) {
            return new ArrayList<>(accepted);
        }
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

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
