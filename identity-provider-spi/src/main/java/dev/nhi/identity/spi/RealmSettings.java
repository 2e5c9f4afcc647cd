package dev.nhi.identity.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.identity.core.NhiSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;

/**
 * A realm's {@link NhiSettings}, kept as JSON in the realm attribute {@value #ATTRIBUTE}. Keycloak's
 * realm cache (invalidated across the cluster) serves the attribute, and the parsed value is kept
 * per distinct JSON string, so reading the settings on the token path costs a map lookup.
 */
public final class RealmSettings {
    public static final String ATTRIBUTE = "nhi.settings";
    private static final Logger LOG = Logger.getLogger(RealmSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PARSED = 1024;
    private static final Map<String, NhiSettings> PARSED = new ConcurrentHashMap<>();

    private RealmSettings() {
    }

    public static NhiSettings of(RealmModel realm) {
        String raw = realm.getAttribute(ATTRIBUTE);
        if (raw == null || raw.isBlank()) {
            return NhiSettings.DEFAULTS;
        }
        NhiSettings cached = PARSED.get(raw);
        if (cached != null) {
            return cached;
        }
        NhiSettings parsed = parse(realm, raw);
        if (PARSED.size() >= MAX_PARSED) {
            PARSED.clear();
        }
        PARSED.put(raw, parsed);
        return parsed;
    }

    public static void save(RealmModel realm, NhiSettings settings) {
        try {
            realm.setAttribute(ATTRIBUTE, JSON.writeValueAsString(settings.toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise NHI settings", e);
        }
    }

    /** Someone edited the attribute by hand into something invalid: keep the realm governed, loudly. */
    private static NhiSettings parse(RealmModel realm, String raw) {
        try {
            Map<String, Object> map = JSON.readValue(raw, new TypeReference<Map<String, Object>>() { });
            return NhiSettings.DEFAULTS.merge(map);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf("realm=%s: attribute %s is not valid NHI settings (%s); using the defaults (mode=audit)",
                    realm.getName(), ATTRIBUTE, e.getMessage());
            return NhiSettings.DEFAULTS;
        }
    }
}
