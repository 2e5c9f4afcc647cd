package dev.nhi.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;

/**
 * Serves the console: a fixed set of static files, packaged from {@code themes/}. The page logs in
 * through the realm itself (authorization code with PKCE, public client {@value ConsoleSetupStep#CLIENT_ID})
 * and calls the admin REST API with the user's token; the server decides what each user may see and do.
 */
final class NhiConsoleResource {
    /** Everything that can be served, with its media type: no path from the request reaches the class path otherwise. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "charts.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "shims/sha256.mjs", "text/javascript; charset=utf-8",
            "shims/jwt-decode.mjs", "text/javascript; charset=utf-8",
            "vendor/keycloak-js/keycloak.mjs", "text/javascript; charset=utf-8",
            "vendor/keycloak-js/LICENSE.txt", "text/plain; charset=utf-8");
    /** The files' bytes, read from the jar once: they change only with it. */
    private static final Map<String, byte[]> CONTENT = FILES.keySet().stream()
            .collect(Collectors.toUnmodifiableMap(name -> name, NhiConsoleResource::read));
    private static final String IMPORT_MAP_START = "<script type=\"importmap\">";
    /**
     * Scripts and styles only from this origin, no framing, and no inline code but the page's import map,
     * allowed by its hash.
     */
    private static final String CSP = "default-src 'self'; script-src 'self' " + importMapHash() + "; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'; object-src 'none'";

    private final KeycloakSession session;

    NhiConsoleResource(KeycloakSession session) {
        this.session = session;
    }

    @GET
    @Path("console")
    public Response withoutSlash(@Context UriInfo uri) {
        return Response.seeOther(uri.getAbsolutePathBuilder().path("/").build()).build();
    }

    @GET
    @Path("console/{file: .*}")
    public Response file(@PathParam("file") String file) {
        String name = file.isEmpty() ? "index.html" : file;
        String type = FILES.get(name);
        if (type == null) {
            throw new NotFoundException("no such console file: " + name);
        }
        // Keycloak would replace this page's CSP with the realm's: the console sets every header itself.
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
        String hsts = session.getContext().getRealm().getBrowserSecurityHeaders()
                .get(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY.getKey());
        return Response.ok(CONTENT.get(name), type)
                .header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Strict-Transport-Security", hsts == null || hsts.isBlank() ? null : hsts)
                // The files change with the jar; a reload after an upgrade must not mix versions.
                .header("Cache-Control", "no-cache")
                .build();
    }

    /** The CSP source of the import map in index.html: {@code 'sha256-<base64 of its exact text>'}. */
    static String importMapHash() {
        String page = new String(CONTENT.get("index.html"), StandardCharsets.UTF_8);
        int start = page.indexOf(IMPORT_MAP_START);
        if (start < 0) {
            throw new IllegalStateException("index.html has no import map");
        }
        start += IMPORT_MAP_START.length();
        String map = page.substring(start, page.indexOf("</script>", start));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(map.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(hash) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = NhiConsoleResource.class.getClassLoader().getResourceAsStream("nhi-console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
