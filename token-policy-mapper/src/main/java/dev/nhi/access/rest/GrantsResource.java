package dev.nhi.access.rest;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantState;
import dev.nhi.access.core.GrantStep;
import dev.nhi.access.grant.JpaGrants;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Inputs;
import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.core.StateConflictException;
import dev.nhi.identity.core.WireEnum;
import dev.nhi.identity.lifecycle.Actor;
import dev.nhi.identity.rest.Caller;
import dev.nhi.identity.rest.JsonIO;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * {@code /admin/realms/{realm}/nhi/grants}: JIT elevation. An owner or an nhi-admin requests; an
 * nhi-admin who is not the requester approves or denies; the requester, the owner or an nhi-admin
 * revokes. Readers see every grant; anyone else sees the grants they requested or whose NHI they own.
 */
final class GrantsResource {
    private static final Set<String> REQUEST_FIELDS = Set.of("clientId", "scopes", "durationSeconds", "reason");
    private static final Set<String> DECISION_FIELDS = Set.of("comment");
    private static final int MAX_TEXT = 1024;
    private static final int DEFAULT_MAX = 100;
    private static final int MAX_PAGE = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final Caller caller;

    GrantsResource(KeycloakSession session, RealmModel realm, Caller caller) {
        this.session = session;
        this.realm = realm;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(String body) {
        return JsonIO.answer(() -> {
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, REQUEST_FIELDS);
            NhiRecord record = record(Inputs.required(input, "clientId", 255));
            if (!caller.canWrite() && !caller.isOwner(record)) {
                throw new ForbiddenException("requires nhi-admin, realm-admin, or ownership of the record");
            }
            Instant now = Instant.now();
            if (Lifecycle.effectiveStatus(record, now) != NhiStatus.ACTIVE) {
                throw new StateConflictException("NHI " + record.clientId() + " is "
                        + Lifecycle.effectiveStatus(record, now).wire() + "; only an active NHI can be elevated");
            }
            Actor actor = caller.actor();
            Grant grant = Grant.request(UUID.randomUUID().toString(), record.id(), record.clientUuid(),
                    record.clientId(), scopes(input), durationSeconds(input),
                    RealmSettings.of(realm).maxGrantDurationSeconds(), Inputs.required(input, "reason", MAX_TEXT),
                    actor.id(), actor.name(), now);
            grants().create(realm, grant);
            return JsonIO.json(Response.status(Response.Status.CREATED)
                    .location(session.getContext().getUri().getAbsolutePathBuilder().path(grant.id()).build()),
                    GrantRepresentation.of(grant, now, pendingExpiry()));
        });
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("status") String status, @QueryParam("clientId") String clientId,
                         @QueryParam("first") String first, @QueryParam("max") String max) {
        return JsonIO.answer(() -> {
            GrantState state = status == null ? null : WireEnum.parse(GrantState.class, "status", status);
            int from = Inputs.queryInteger("first", first, 0);
            int size = Inputs.queryInteger("max", max, DEFAULT_MAX);
            if (from < 0) {
                throw new InvalidInputException("first", "first must be 0 or more");
            }
            if (size < 1 || size > MAX_PAGE) {
                throw new InvalidInputException("max", "max must be between 1 and " + MAX_PAGE);
            }
            String requestedBy = null;
            if (!caller.canRead()) {
                if (clientId != null) {
                    requireOwner(record(clientId));
                } else {
                    requestedBy = caller.actor().id();
                }
            }
            Instant now = Instant.now();
            Duration pendingExpiry = pendingExpiry();
            List<Grant> page = grants().list(realm, state, clientId, requestedBy, from, size, now, pendingExpiry);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("items", page.stream().map(g -> GrantRepresentation.of(g, now, pendingExpiry)).toList());
            answer.put("first", from);
            answer.put("max", size);
            return JsonIO.ok(answer);
        });
    }

    /** One grant with its history, oldest step first. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        return JsonIO.answer(() -> {
            Grant grant = grants().require(realm, id);
            if (!caller.canRead() && !grant.requestedBy(caller.actor().id())) {
                requireOwner(recordOf(grant));
            }
            Map<String, Object> answer = GrantRepresentation.of(grant, Instant.now(), pendingExpiry());
            List<Map<String, Object>> history = new ArrayList<>();
            for (GrantStep step : grants().history(realm, grant.id())) {
                history.add(GrantRepresentation.step(step));
            }
            answer.put("history", history);
            return JsonIO.ok(answer);
        });
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("id") String id, String body) {
        return change(id, body, false, (grant, actor, comment, now, pendingExpiry) -> grant.approve(actor.id(),
                actor.name(), comment, now, pendingExpiry), Grant::decided);
    }

    @POST
    @Path("{id}/deny")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deny(@PathParam("id") String id, String body) {
        return change(id, body, false, (grant, actor, comment, now, pendingExpiry) -> grant.deny(actor.id(),
                actor.name(), comment, now, pendingExpiry), Grant::decided);
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("id") String id, String body) {
        return change(id, body, true, (grant, actor, comment, now, pendingExpiry) -> grant.revoke(actor.id(),
                actor.name(), comment, now, pendingExpiry), Grant::revoked);
    }

    private interface Transition {
        Grant apply(Grant grant, Actor actor, String comment, Instant now, Duration pendingExpiry);
    }

    /** @param byRequesterOrOwner whether the requester and the NHI's owner may do it too, not only an nhi-admin */
    private Response change(String id, String body, boolean byRequesterOrOwner, Transition transition,
                            Function<Grant, GrantStep> stepOf) {
        return JsonIO.answer(() -> {
            Map<String, Object> input = JsonIO.object(body);
            Inputs.rejectUnknown(input, DECISION_FIELDS);
            String comment = Inputs.optional(input, "comment", MAX_TEXT);
            Grant grant = grants().require(realm, id);
            requireMayChange(grant, byRequesterOrOwner);
            Instant now = Instant.now();
            Duration pendingExpiry = pendingExpiry();
            Grant next = transition.apply(grant, caller.actor(), comment, now, pendingExpiry);
            grants().update(realm, next, stepOf.apply(next));
            return JsonIO.ok(GrantRepresentation.of(next, now, pendingExpiry));
        });
    }

    private Duration pendingExpiry() {
        return RealmSettings.of(realm).pendingGrantExpiry();
    }

    private void requireMayChange(Grant grant, boolean byRequesterOrOwner) {
        if (caller.canWrite()) {
            return;
        }
        if (!byRequesterOrOwner) {
            throw new ForbiddenException("requires the realm role nhi-admin or realm-admin");
        }
        if (!grant.requestedBy(caller.actor().id())) {
            requireOwner(recordOf(grant));
        }
    }

    private void requireOwner(NhiRecord record) {
        if (!caller.isOwner(record)) {
            throw new ForbiddenException("requires nhi-auditor, nhi-admin, realm-admin, or ownership of the record");
        }
    }

    private NhiRecord record(String clientId) {
        return session.getProvider(NhiStore.class).byClientId(realm, clientId)
                .orElseThrow(() -> new NotFoundException("no NHI record for client " + clientId));
    }

    private NhiRecord recordOf(Grant grant) {
        return session.getProvider(NhiStore.class).byClientUuid(realm, grant.clientUuid())
                .orElseThrow(() -> new NotFoundException("the NHI record of grant " + grant.id() + " is gone"));
    }

    private JpaGrants grants() {
        return new JpaGrants(session);
    }

    private static List<String> scopes(Map<String, Object> input) {
        Object value = input.get("scopes");
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException("scopes", "scopes is required: a JSON array of scope names");
        }
        List<String> scopes = new ArrayList<>();
        for (Object scope : list) {
            if (!(scope instanceof String s)) {
                throw new InvalidInputException("scopes", "each scope must be a string");
            }
            scopes.add(s);
        }
        return scopes;
    }

    private static long durationSeconds(Map<String, Object> input) {
        Object value = input.get("durationSeconds");
        if (value == null) {
            throw new InvalidInputException("durationSeconds", "durationSeconds is required");
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new InvalidInputException("durationSeconds", "durationSeconds must be a whole number");
        }
        return ((Number) value).longValue();
    }
}
