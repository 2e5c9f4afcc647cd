package dev.nhi.identity.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.core.NotPermittedException;
import dev.nhi.identity.core.StateConflictException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Request bodies in, the contract's JSON and error shapes out. */
public final class JsonIO {
    /** Far above any valid body; refuses oversized input before parsing it. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private JsonIO() {
    }

    /** A JSON object body; an absent body is an empty object. */
    public static Map<String, Object> object(String body) {
        if (body == null || body.isBlank()) {
            return new LinkedHashMap<>();
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new InvalidInputException("body", "request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        try {
            Object parsed = JSON.readValue(body, Object.class);
            if (!(parsed instanceof Map)) {
                throw new InvalidInputException("body", "request body must be a JSON object");
            }
            return JSON.convertValue(parsed, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static Response ok(Object entity) {
        return json(Response.ok(), entity);
    }

    /** Serialised here rather than by Keycloak's provider, which drops null fields the contract keeps. */
    public static Response json(Response.ResponseBuilder builder, Object entity) {
        try {
            return builder.type(MediaType.APPLICATION_JSON_TYPE).entity(JSON.writeValueAsString(entity)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    /** Runs an operation and turns the domain's refusals into the contract's error responses. */
    public static Response answer(Supplier<Response> operation) {
        try {
            return operation.get();
        } catch (InvalidInputException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "invalid_request");
            body.put("field", e.field());
            body.put("message", e.getMessage());
            return error(Response.Status.BAD_REQUEST, body);
        } catch (NotFoundException e) {
            return error(Response.Status.NOT_FOUND, Map.of("error", "not_found", "message", e.getMessage()));
        } catch (StateConflictException e) {
            return error(Response.Status.CONFLICT, Map.of("error", "conflict", "message", e.getMessage()));
        } catch (ForbiddenException | NotPermittedException e) {
            return error(Response.Status.FORBIDDEN, Map.of("error", "forbidden", "message", e.getMessage()));
        }
    }

    private static Response error(Response.Status status, Map<String, Object> body) {
        return json(Response.status(status), body);
    }
}
