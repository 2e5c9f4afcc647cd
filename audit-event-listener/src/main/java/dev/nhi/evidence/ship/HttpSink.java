package dev.nhi.evidence.ship;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs batches to a SIEM or webhook: the records as JSON Lines ({@code application/x-ndjson}), with
 * {@code X-NHI-Signature: sha256=<hex HMAC-SHA256 of the exact bytes sent>} and the realm and
 * {@code seq} range in headers. Any 2xx acknowledges the batch; anything else, or a network error, is
 * retried. The receiver cannot be asked what it holds, so the sink keeps its position in a file per
 * realm, written after each acknowledgement: delivery is at least once, and receivers deduplicate by
 * {@code id}.
 */
public final class HttpSink implements Sink {
    public static final String SIGNATURE_HEADER = "X-NHI-Signature";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final URI url;
    private final byte[] secret;
    private final Path cursorDir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    /** Each realm's position, read from its cursor file once and then kept as batches are acknowledged. */
    private final Map<String, Long> positions = new ConcurrentHashMap<>();

    public HttpSink(URI url, String hmacSecret, Path cursorDir) {
        this.url = url;
        this.secret = hmacSecret.getBytes(StandardCharsets.UTF_8);
        this.cursorDir = cursorDir;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public long lastSeq(String realm) throws IOException {
        Long known = positions.get(realm);
        if (known == null) {
            Path file = cursorDir.resolve(realm);
            known = Files.isRegularFile(file) ? Long.parseLong(Files.readString(file).strip()) : 0L;
            positions.put(realm, known);
        }
        return known;
    }

    @Override
    public void append(String realm, long firstSeq, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        long last = firstSeq + lines.size() - 1;
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-ndjson")
                .header("X-NHI-Realm", realm)
                .header("X-NHI-First-Seq", Long.toString(firstSeq))
                .header("X-NHI-Last-Seq", Long.toString(last))
                .header(SIGNATURE_HEADER, "sha256=" + hmac(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("http sink " + url + " answered " + response.statusCode());
        }
        Files.createDirectories(cursorDir);
        Path temporary = cursorDir.resolve(realm + ".tmp");
        Files.writeString(temporary, Long.toString(last));
        Files.move(temporary, cursorDir.resolve(realm), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        positions.put(realm, last);
    }

    /** Lower-case hex HMAC-SHA256: what a receiver recomputes over the bytes it received. */
    public static String hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
