package dev.nhi.identity.rest;

import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Inputs;
import dev.nhi.identity.core.NhiFlag;
import dev.nhi.identity.core.NhiKind;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.RecordInput;
import dev.nhi.identity.core.RecordQuery;
import dev.nhi.identity.core.WireEnum;
import dev.nhi.identity.lifecycle.IdentityOperations;
import dev.nhi.identity.spi.NhiStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** {@code /admin/realms/{realm}/nhi/identities}. */
public final class IdentitiesResource {
    private static final int REPORT_RECORDS_PER_FLAG = 100;
    /** The posture chart: active records expiring per week, over the next 13 weeks (91 days). */
    private static final int EXPIRY_CHART_WEEKS = 13;
    private static final Set<String> REASON_FIELDS = Set.of("reason");
    private static final Set<String> REVIEW_FIELDS = Set.of("decision", "comment");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    IdentitiesResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    /** Readers see every record; any other user of the realm sees the records they own, if any. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("status") String status, @QueryParam("owner") String owner,
                         @QueryParam("kind") String kind, @QueryParam("environment") String environment,
                         @QueryParam("flag") String flag, @QueryParam("search") String search,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        return JsonIO.answer(() -> {
            IdentityOperations ops = operations();
            RecordQuery query = new RecordQuery(
                    status == null ? null : WireEnum.parse(NhiStatus.class, "status", status),
                    owner == null ? null : ownerId(ops, owner),
                    kind == null ? null : WireEnum.parse(NhiKind.class, "kind", kind),
                    environment,
                    flag == null ? null : WireEnum.parse(NhiFlag.class, "flag", flag),
                    search,
                    Inputs.queryInteger("first", first, 0),
                    Inputs.queryInteger("max", max, RecordQuery.DEFAULT_MAX));
            if (!caller.canRead()) {
                query = ownRecordsOnly(ops.store(), query);
            }
            Instant now = Instant.now();
            NhiStore.RecordPage page = ops.store().search(realm, query, ops.settings(), now);
            RecordRepresentation rep = representation(ops.settings(), now);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.records().stream().map(rep::of).toList());
            body.put("total", page.total());
            body.put("first", query.first());
            body.put("max", query.max());
            return JsonIO.ok(body);
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(String body) {
        return JsonIO.answer(() -> {
            caller.requireWrite();
            IdentityOperations ops = operations();
            NhiRecord created = ops.register(RecordInput.registration(JsonIO.object(body)), caller.actor());
            return JsonIO.json(Response.status(Response.Status.CREATED)
                    .location(session.getContext().getUri().getAbsolutePathBuilder().path(created.clientId()).build()),
                    representation(ops.settings(), Instant.now()).of(created));
        });
    }

    /** Posture: counts by status and by flag, and the records behind each flag (first 100 each). */
    @GET
    @Path("report")
    @Produces(MediaType.APPLICATION_JSON)
    public Response report() {
        return JsonIO.answer(() -> {
            caller.requireRead();
            IdentityOperations ops = operations();
            NhiSettings settings = ops.settings();
            Instant now = Instant.now();
            RecordRepresentation rep = representation(settings, now);
            Map<String, Object> byStatus = new LinkedHashMap<>();
            ops.store().countByStatus(realm, now).forEach((s, n) -> byStatus.put(s.wire(), n));
            Map<String, Object> byFlag = new LinkedHashMap<>();
            Map<String, Object> flagged = new LinkedHashMap<>();
            for (NhiFlag flag : NhiFlag.values()) {
                NhiStore.RecordPage page = ops.store().search(realm,
                        new RecordQuery(null, null, null, null, flag, null, 0, REPORT_RECORDS_PER_FLAG), settings, now);
                byFlag.put(flag.wire(), page.total());
                flagged.put(flag.wire(), page.records().stream().map(rep::of).toList());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("generatedAt", now.toString());
            body.put("byStatus", byStatus);
            body.put("byFlag", byFlag);
            body.put("flagged", flagged);
            List<Map<String, Object>> expiring = new ArrayList<>();
            long[] perWeek = ops.store().expiringPerWeek(realm, now, EXPIRY_CHART_WEEKS);
            for (int week = 0; week < perWeek.length; week++) {
                expiring.add(Map.of("weekStarting", now.plus(Duration.ofDays(7L * week)).truncatedTo(ChronoUnit.DAYS).toString(),
                        "count", perWeek[week]));
            }
            body.put("expiringByWeek", expiring);
            return JsonIO.ok(body);
        });
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("clientId") String clientId) {
        return JsonIO.answer(() -> {
            IdentityOperations ops = operations();
            NhiRecord record = ops.require(clientId);
            caller.requireReadOf(record);
            return JsonIO.ok(representation(ops.settings(), Instant.now()).of(record));
        });
    }

    @PATCH
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(@PathParam("clientId") String clientId, String body) {
        return JsonIO.answer(() -> {
            caller.requireWrite();
            RecordInput input = RecordInput.patch(JsonIO.object(body));
            IdentityOperations ops = operations();
            NhiRecord changed = ops.change(ops.require(clientId), input, caller.actor());
            return JsonIO.ok(representation(ops.settings(), Instant.now()).of(changed));
        });
    }

    @GET
    @Path("{clientId}/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Response history(@PathParam("clientId") String clientId) {
        return JsonIO.answer(() -> {
            IdentityOperations ops = operations();
            NhiRecord record = ops.require(clientId);
            caller.requireReadOf(record);
            RecordRepresentation rep = representation(ops.settings(), Instant.now());
            return JsonIO.ok(ops.store().history(realm, record.id()).stream().map(rep::of).toList());
        });
    }

    @POST
    @Path("{clientId}/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response suspend(@PathParam("clientId") String clientId, String body) {
        return transition(clientId, body, (ops, record, reason) -> ops.suspend(record, reason, caller.actor()));
    }

    @POST
    @Path("{clientId}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response resume(@PathParam("clientId") String clientId, String body) {
        return transition(clientId, body, (ops, record, reason) -> ops.resume(record, reason, caller.actor()));
    }

    @POST
    @Path("{clientId}/decommission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response decommission(@PathParam("clientId") String clientId, String body) {
        return transition(clientId, body, (ops, record, reason) -> ops.decommission(record, reason, caller.actor()));
    }

    @POST
    @Path("{clientId}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response review(@PathParam("clientId") String clientId, String body) {
        return JsonIO.answer(() -> {
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, REVIEW_FIELDS);
            String decision = Inputs.required(input, "decision", 32);
            if (!decision.equals("keep") && !decision.equals("decommission")) {
                throw new InvalidInputException("decision", "decision must be one of: keep, decommission");
            }
            String comment = Inputs.optional(input, "comment", RecordInput.MAX_PURPOSE);
            IdentityOperations ops = operations();
            NhiRecord record = ops.require(clientId);
            caller.requireReviewOf(record);
            NhiRecord reviewed = ops.review(record, decision.equals("keep"), comment, caller.actor());
            return JsonIO.ok(representation(ops.settings(), Instant.now()).of(reviewed));
        });
    }

    private interface Transition {
        NhiRecord apply(IdentityOperations ops, NhiRecord record, String reason);
    }

    /** Suspend, resume and decommission: nhi-admin only, a reason required. */
    private Response transition(String clientId, String body, Transition transition) {
        return JsonIO.answer(() -> {
            caller.requireWrite();
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, REASON_FIELDS);
            String reason = Inputs.required(input, "reason", RecordInput.MAX_PURPOSE);
            IdentityOperations ops = operations();
            NhiRecord changed = transition.apply(ops, ops.require(clientId), reason);
            return JsonIO.ok(representation(ops.settings(), Instant.now()).of(changed));
        });
    }

    private RecordQuery ownRecordsOnly(NhiStore store, RecordQuery query) {
        String self = caller.userId();
        if (self == null || !ownsAny(store, self)) {
            throw new ForbiddenException("requires nhi-auditor, nhi-admin, realm-admin, or ownership of records");
        }
        return query.withOwner(self);
    }

    private boolean ownsAny(NhiStore store, String userId) {
        return store.search(realm, new RecordQuery(null, userId, null, null, null, null, 0, 1),
                NhiSettings.DEFAULTS, Instant.now()).total() > 0;
    }

    /** An unknown owner matches nothing rather than failing: owners of decommissioned records may be gone. */
    private static String ownerId(IdentityOperations ops, String ref) {
        UserModel user = ops.findUser(ref);
        return user != null ? user.getId() : ref;
    }

    private IdentityOperations operations() {
        return new IdentityOperations(session, realm);
    }

    private RecordRepresentation representation(NhiSettings settings, Instant now) {
        return new RecordRepresentation(session, realm, settings, now);
    }
}
