package dev.nhi.evidence.rest;

import dev.nhi.evidence.core.Controls;
import dev.nhi.evidence.jpa.EvidenceStore;
import dev.nhi.evidence.listener.NhiEvidenceListenerFactory;
import dev.nhi.evidence.ship.EvidenceExport;
import dev.nhi.evidence.ship.Sink;
import dev.nhi.identity.core.Inputs;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.core.StateConflictException;
import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.rest.JsonIO;
import dev.nhi.identity.spi.NhiStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** {@code /admin/realms/{realm}/nhi/evidence}: the realm's evidence read back, and where it stands. Readers only. */
final class EvidenceResource {
    private static final int DEFAULT_EXPORT = 1000;
    private static final int MAX_EXPORT = 10_000;
    private static final int DEFAULT_DAYS = 30;
    private static final int MAX_DAYS = 366;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    EvidenceResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    /**
     * The realm's records as the first readable sink (file or jdbc) holds them, as JSON Lines (the exact
     * canonical bytes, so an export can be verified), filtered by time, client and type; oldest first from
     * {@code afterSeq}, or newest first ({@code order=desc}) from {@code beforeSeq}. At most {@code max}
     * (default 1000, up to 10000) after reading at most {@link EvidenceExport#SCAN_LIMIT} records; when it
     * stopped early, {@code X-NHI-Truncated: true} and {@code X-NHI-Resume-Seq} to go on from. Readers may
     * export anything; an owner, the records of one NHI they own ({@code clientId}).
     */
    @GET
    @Produces("application/x-ndjson")
    public Response export(@QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("clientId") String clientId, @QueryParam("type") String type,
                           @QueryParam("max") String max, @QueryParam("order") String order,
                           @QueryParam("afterSeq") String afterSeq, @QueryParam("beforeSeq") String beforeSeq) {
        return JsonIO.answer(() -> {
            if (!caller.canRead()) {
                if (clientId == null) {
                    caller.requireRead();
                }
                caller.requireReadOf(session.getProvider(NhiStore.class).byClientId(realm, clientId)
                        .orElseThrow(() -> new NotFoundException("no NHI record for client " + clientId)));
            }
            EvidenceExport.Filter filter = new EvidenceExport.Filter(from == null ? null : Inputs.instant("from", from),
                    to == null ? null : Inputs.instant("to", to), clientId, types(type));
            int limit = Inputs.queryInteger("max", max, DEFAULT_EXPORT);
            if (limit < 1 || limit > MAX_EXPORT) {
                throw new InvalidInputException("max", "max must be between 1 and " + MAX_EXPORT);
            }
            Sink.Start start = start(order, afterSeq, beforeSeq);
            Sink.Readable sink = factory().sinks().stream().filter(Sink.Readable.class::isInstance)
                    .map(Sink.Readable.class::cast).findFirst()
                    .orElseThrow(() -> new StateConflictException("no readable sink: export reads the file or the"
                            + " jdbc sink, and neither is configured"));
            EvidenceExport.Page page;
            try {
                page = EvidenceExport.read(sink, chainName(), start, filter, limit, EvidenceExport.SCAN_LIMIT);
            } catch (IOException e) {
                throw new StateConflictException("cannot read the evidence sink back: " + e.getMessage());
            }
            Response.ResponseBuilder answer = Response.ok(page.lines(), "application/x-ndjson")
                    .header("X-NHI-Truncated", String.valueOf(page.truncated()));
            if (page.truncated()) {
                answer.header("X-NHI-Resume-Seq", String.valueOf(page.resumeSeq()));
            }
            return answer.build();
        });
    }

    /** The evidence types asked for, comma-separated; null for all. */
    private static Set<String> types(String type) {
        if (type == null) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>(List.of(type.split(",", -1)));
        if (!Controls.table().keySet().containsAll(types)) {
            throw new InvalidInputException("type", "type must be one or more of " + String.join(", ",
                    Controls.table().keySet()) + ", comma-separated");
        }
        return types;
    }

    /** Oldest first after {@code afterSeq} (default), or newest first before {@code beforeSeq}. */
    private static Sink.Start start(String order, String afterSeq, String beforeSeq) {
        boolean newestFirst = "desc".equals(order);
        if (order != null && !newestFirst && !"asc".equals(order)) {
            throw new InvalidInputException("order", "order must be asc or desc");
        }
        if (newestFirst && afterSeq != null) {
            throw new InvalidInputException("afterSeq", "afterSeq goes with order=asc; newest first, give beforeSeq");
        }
        if (!newestFirst && beforeSeq != null) {
            throw new InvalidInputException("beforeSeq", "beforeSeq goes with order=desc; oldest first, give afterSeq");
        }
        String seqField = newestFirst ? "beforeSeq" : "afterSeq";
        long seq = Inputs.queryLong(seqField, newestFirst ? beforeSeq : afterSeq, 0);
        if (seq < 0) {
            throw new InvalidInputException(seqField, seqField + " must not be negative");
        }
        return new Sink.Start(newestFirst, seq);
    }

    /** The sinks file the realm's records under its chain's name, which a rename does not change. */
    private String chainName() {
        String chain = new EvidenceStore(session).chainName(realm.getId());
        return chain == null ? realm.getName() : chain;
    }

    private NhiEvidenceListenerFactory factory() {
        return (NhiEvidenceListenerFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(EventListenerProvider.class, NhiEvidenceListenerFactory.PROVIDER_ID);
    }

    /**
     * Tokens issued and denied per day (UTC) over the last {@code days} days (default 30, up to 366),
     * oldest first, every day present; counted as the records are chained, so the latest seconds may be
     * missing.
     */
    @GET
    @Path("daily")
    @Produces(MediaType.APPLICATION_JSON)
    public Response daily(@QueryParam("days") String days) {
        return JsonIO.answer(() -> {
            caller.requireRead();
            int count = Inputs.queryInteger("days", days, DEFAULT_DAYS);
            if (count < 1 || count > MAX_DAYS) {
                throw new InvalidInputException("days", "days must be between 1 and " + MAX_DAYS);
            }
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate first = today.minusDays(count - 1L);
            Map<String, EvidenceStore.Daily> tallied = new HashMap<>();
            new EvidenceStore(session).daily(realm.getId(), first).forEach(d -> tallied.put(d.day(), d));
            List<Map<String, Object>> answer = new ArrayList<>();
            for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
                EvidenceStore.Daily d = tallied.get(day.toString());
                answer.add(Map.of("day", day.toString(), "issued", d == null ? 0 : d.issued(),
                        "denied", d == null ? 0 : d.denied()));
            }
            return JsonIO.ok(answer);
        });
    }

    /**
     * The backlog (records not yet chained, records not yet on every sink, the age of the oldest), the
     * chain's head, and each sink's last {@code seq} (or why it cannot be read).
     */
    @GET
    @Path("status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        return JsonIO.answer(() -> {
            caller.requireRead();
            EvidenceStore.Backlog backlog = new EvidenceStore(session).backlog(realm.getId());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("realm", realm.getName());
            answer.put("listenerEnabled", realm.getEventsListenersStream()
                    .anyMatch(NhiEvidenceListenerFactory.PROVIDER_ID::equals));
            answer.put("unchained", backlog.unchained());
            answer.put("unshipped", backlog.unshipped());
            answer.put("oldestWaitingSeconds", backlog.oldestWaitingSeconds(Instant.now()));
            answer.put("chainSeq", backlog.chainSeq());
            answer.put("sealedSeq", backlog.sealedSeq());
            Map<String, Object> sinks = new LinkedHashMap<>();
            String chainName = chainName();
            for (Sink sink : factory().sinks()) {
                Map<String, Object> position = new LinkedHashMap<>();
                try {
                    position.put("lastSeq", sink.lastSeq(chainName));
                } catch (IOException e) {
                    position.put("error", e.getMessage());
                }
                sinks.put(sink.name(), position);
            }
            answer.put("sinks", sinks);
            return JsonIO.ok(answer);
        });
    }
}
